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
      # The boot step copies the root-only CCEL log here for the unprivileged worker.
      ccelLog ? "/run/tee-worker/ccel.log",
      runtimeLog ? "/run/tee-worker/rtmr3.log",
      logFormat ? "json",
      tpm ? "auto",
      tpmTcti ? "device:/dev/tpmrm0",
      tpmPcrs ? [
        4
        7
        9
      ],
      services ? [ ],
    }:
    {
      inherit
        node
        tee
        api
        tpm
        ;
      tpm-tcti = tpmTcti;
      tpm-pcrs = tpmPcrs;
      data-dir = dataDir;
      system-path = systemPath;
      configfs-tsm = configfsTsm;
      ccel-log = ccelLog;
      runtime-log = runtimeLog;
      log-format = logFormat;
      service = map (s: {
        inherit (s) name;
        derivation = "${s.derivation}";
        public-key-file = s.publicKeyFile;
      }) services;
    };

  # Checks the options cannot express; returns the list of problems (empty when fine).
  problems =
    {
      tee,
      services,
      tpmPcrs ? [ 7 ],
      ...
    }:
    let
      dedup = builtins.foldl' (seen: n: if builtins.elem n seen then seen else seen ++ [ n ]) [ ];
      names = map (s: s.name) services;
      unique = dedup names;
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
      if
        tpmPcrs != [ ]
        && builtins.all (p: p >= 0 && p <= 23) tpmPcrs
        && builtins.length (dedup tpmPcrs) == builtins.length tpmPcrs
      then
        [ ]
      else
        [ "tpm.pcrs must be distinct PCR indices 0-23, at least one" ]
    )
    ++ (
      if tee == "mock" then
        [ "tee = mock proves nothing: only for a dev chain, never in an image" ]
      else
        [ ]
    );
}
