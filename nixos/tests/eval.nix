# Pure evaluation (no nixpkgs): the worker configuration the NixOS module generates, and the
# checks it applies. `nix-instantiate --eval --strict --json` prints the generated settings;
# nixos/check.sh feeds them to the real tee-worker configuration parser.
let
  workerLib = import ../lib/worker-config.nix;
  echo = {
    name = "echo";
    derivation = "/nix/store/00000000000000000000000000000000-tee-echo-0.1.0";
    publicKeyFile = "/run/tee-echo/public-key";
  };
  settings = workerLib.workerToml {
    node = "ws://10.0.2.2:9944";
    tee = "auto";
    api = "127.0.0.1:8080";
    dataDir = "/var/lib/tee-worker";
    services = [ echo ];
  };
  check = cond: message: if cond then true else throw "nixos/tests/eval.nix: ${message}";
  checks = [
    (check (settings.data-dir == "/var/lib/tee-worker") "data-dir")
    (check (settings.log-format == "json") "the image logs JSON")
    (check (settings.system-path == "/run/current-system") "system-path default")
    (check (
      settings.ccel-log == "/run/tee-worker/ccel.log"
      && settings.runtime-log == "/run/tee-worker/rtmr3.log"
    ) "the worker reads the boot step's copy of the CCEL log and its runtime log")
    (check (builtins.length settings.service == 1) "one service")
    (check (settings.tpm == "auto" && settings.tpm-tcti == "device:/dev/tpmrm0") "tpm defaults")
    (check (
      settings.tpm-pcrs == [
        4
        7
        9
      ]
    ) "keys sealed to the disk's PCRs by default")
    (check (
      map
        (
          pcrs:
          builtins.length (
            workerLib.problems {
              tee = "auto";
              services = [ ];
              tpmPcrs = pcrs;
            }
          )
        )
        [
          [ 7 ]
          [ ]
          [ 24 ]
          [
            7
            7
          ]
        ] == [
        0
        1
        1
        1
      ]
    ) "PCR lists are checked")
    (check ((builtins.head settings.service).derivation == echo.derivation) "store path measured")
    (check (
      workerLib.problems {
        tee = "auto";
        services = [ echo ];
      } == [ ]
    ) "a valid configuration has no problems")
    (check (
      workerLib.problems {
        tee = "auto";
        services = [
          echo
          echo
        ];
      } == [ "service names must be unique" ]
    ) "duplicate names are refused")
    (check (
      builtins.length (
        workerLib.problems {
          tee = "mock";
          services = [ ];
        }
      ) == 1
    ) "mock is refused in an image")
    (check (
      builtins.length (
        workerLib.problems {
          tee = "sgx";
          services = [ ];
        }
      ) == 1
    ) "unknown TEE is refused")
  ];
in
builtins.deepSeq checks settings
