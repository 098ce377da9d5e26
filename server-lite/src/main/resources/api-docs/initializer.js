// Starts swagger-ui on the server's own OpenAPI document. An external file, not an inline
// script, so the page runs under the console's Content-Security-Policy (script-src 'self').
window.addEventListener('load', () => {
  window.ui = window.SwaggerUIBundle({
    url: '/api/v1/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    displayOperationId: true,
    // No call to the public validator service: nothing leaves this origin.
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
