@echo off
rem Run by the MSI after its files are installed (deferred, as SYSTEM). The state directory is
rem made SYSTEM and Administrators only before anything reads the registration key; the agent
rem registers with it (config.json names the server and the key file), the key is deleted, and
rem the agent is started: a scheduled task (timer) or the Windows service (service).
setlocal
set "MODE=@MODE@"
set "STATE=%ProgramData%\Castellan"
icacls "%STATE%" /inheritance:r /grant:r "*S-1-5-18:(OI)(CI)F" "*S-1-5-32-544:(OI)(CI)F" /T /Q >nul || exit /b 1
if exist "%STATE%\registration-key" (
  call "%~dp0castellan-agent.cmd" register --if-unregistered --state-dir "%STATE%" --registration-key-file "%STATE%\registration-key" || exit /b 1
  del /f /q "%STATE%\registration-key"
)
if "%MODE%"=="service" (
  schtasks /Delete /F /TN "Castellan agent check-in" >nul 2>&1
  call "%~dp0castellan-agent.cmd" install-service --state-dir "%STATE%" || exit /b 1
) else (
  schtasks /Create /F /RU SYSTEM /SC MINUTE /MO 15 /TN "Castellan agent check-in" /TR "\"%~dp0castellan-agent.cmd\" check-in --if-due --state-dir \"%STATE%\"" || exit /b 1
  schtasks /Run /TN "Castellan agent check-in" >nul
)
exit /b 0
