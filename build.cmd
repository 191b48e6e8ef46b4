:; # POSIX shells read this line and hand over to build.sh; cmd.exe skips it as a label.
:; exec "$(dirname "$0")/build.sh" "$@"
@echo off
rem Runs the runbook from cmd.exe as a JIT build: builds it only when its sources changed, then starts it.
rem (build.sh also publishes and runs the native binary; from cmd.exe the JIT build serves.)
setlocal
set "ROOT=%~dp0"
set "OUT=%ROOT%.nuke\temp\runbook"
set "LISTING=%OUT%\sources.listing"
where dotnet >nul 2>nul || (echo build.cmd: the .NET 10 SDK is not on PATH; install it from https://dot.net/download and retry 1>&2 & exit /b 2)
if not exist "%OUT%" mkdir "%OUT%"
rem Name, time and size of every source file: a different listing means a rebuild.
(for /r "%ROOT%build" %%f in (*.cs *.csproj) do @echo %%f %%~tf %%~zf) > "%LISTING%.all"
(for /r "%ROOT%engine\Toml" %%f in (*.cs *.csproj) do @echo %%f %%~tf %%~zf) >> "%LISTING%.all"
findstr /v /i /c:"\bin\" /c:"\obj\" "%LISTING%.all" > "%LISTING%.next"
set "STALE=1"
if exist "%OUT%\jit\_build.dll" fc /b "%LISTING%.next" "%LISTING%" >nul 2>nul && set "STALE="
if defined STALE (
  echo build.cmd: building the runbook, its sources changed 1>&2
  dotnet build "%ROOT%build\_build.csproj" --configuration Release --artifacts-path "%OUT%\jit-artifacts" --output "%OUT%\jit" --nologo --verbosity quiet || (echo build.cmd: the runbook did not compile; see the errors above 1>&2 & exit /b 2)
  move /y "%LISTING%.next" "%LISTING%" >nul
)
dotnet "%OUT%\jit\_build.dll" %*
exit /b %ERRORLEVEL%
