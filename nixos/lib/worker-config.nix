# Pure functions shared by the NixOS modules and evaluated in tests without nixpkgs
# (nixos/tests/eval.nix): the tee-worker configuration file's content and the service list.
{
  # The attribute set written to worker.toml (keys as in tee-worker/worker.example.toml).
  # `services` is a list of { name; derivation; publicKeyFile; }: `derivation` is the Nix
  # store path of the service's package, so the service tree commits to exactly that build.
  workerToml =
    {
      node,
      tee,
      api,
      dataDir,
      systemPath ? "/run/current-system",
      configfsTsm ? "/sys/kernel/config/tsm/report",
      logFormat ? "json",
      services ? [ ],
    }:
    {
      inherit node tee api;
      data-dir = dataDir;
      system-path = systemPath;
      configfs-tsm = configfsTsm;
      log-format = logFormat;
      service = map (s: {
        inherit (s) name;
        derivation = "${s.derivation}";
        public-key-file = s.publicKeyFile;
      }) services;
    };

  # Checks the options cannot express; returns the list of problems (empty when fine).
  problems =
    { tee, services, ... }:
    let
      names = map (s: s.name) services;
      unique = builtins.foldl' (seen: n: if builtins.elem n seen then seen else seen ++ [ n ]) [ ] names;
    in
    (
      if
        builtins.elem tee [
          "auto"
          "tdx"
          "snp"
          "mock"
        ]
      then
        [ ]
      else
        [ "tee must be auto, tdx, snp or mock, not ${tee}" ]
    )
    ++ (
      if builtins.length unique == builtins.length names then [ ] else [ "service names must be unique" ]
    )
    ++ (
      if tee == "mock" then
        [ "tee = mock proves nothing: only for a dev chain, never in an image" ]
      else
        [ ]
    );
}
