@echo off
rem Launcher for castellan-agent on Windows, installed by the MSI. Needs a Java 17 or later:
rem JAVA_HOME\bin\java.exe when JAVA_HOME is set, otherwise java.exe from PATH.
setlocal
set "JAVA_EXE=java.exe"
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
"%JAVA_EXE%" -XX:+UseSerialGC -Xms8m -Xmx96m -XX:TieredStopAtLevel=1 -XX:-UsePerfData %CASTELLAN_JAVA_OPTS% -jar "%~dp0castellan-agent.jar" %*
