{
  description = "project-orchestrator: the runbook, the engine and their tests";

  # Pinned by flake.lock: `nix flake lock` writes it on first use; commit it so every machine gets the same tools.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = with pkgs; [
            dotnet-sdk_10 # build.sh, the runbook, the engine and the tests
            git
            tmux # the engine runs each agent in a tmux session
            python3 # projects on the agent-orchestrator harness run python3 engine/agents.py
            stdenv.cc # the C toolchain Native AOT links the runbook and the engine with (gcc on Linux, clang on macOS)
          ] ++ lib.optionals stdenv.hostPlatform.isLinux [
            util-linux # flock: one build at a time in build.sh and engine/agents
            chromium # the dashboard's browser tests (Playwright drives the system's Chromium)
          ];

          # A JIT build of the engine runs as an apphost, which looks for the runtime in DOTNET_ROOT: nix's SDK is
          # in none of the places it would look otherwise.
          DOTNET_ROOT = "${pkgs.dotnet-sdk_10}/share/dotnet";
        };
      });
    };
}
