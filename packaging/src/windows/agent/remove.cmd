@echo off
rem Run by the MSI before it removes its files: stops and removes the scheduled task and the service.
rem The state directory (%ProgramData%\Castellan: the device key) is kept.
setlocal
schtasks /Delete /F /TN "Castellan agent check-in" >nul 2>&1
call "%~dp0castellan-agent.cmd" uninstall-service >nul 2>&1
exit /b 0
