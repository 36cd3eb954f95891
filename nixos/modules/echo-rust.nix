# services.echo-rust: the signing echo service (tee-echo). Its secp256k1 key is generated on
# first start in its state directory; the public key is published in
# /run/tee-echo/public-key for the tee-worker to measure into the service tree.
{
  config,
  lib,
  ...
}:
let
  cfg = config.services.echo-rust;
in
{
  options.services.echo-rust = {
    enable = lib.mkEnableOption "the signing TCP echo service (tee-echo)";
    package = lib.mkOption {
      type = lib.types.package;
      description = "The tee-echo package.";
    };
    listen = lib.mkOption {
      type = lib.types.str;
      default = "0.0.0.0:7000";
      description = "Address to listen on.";
    };
    publicKeyFile = lib.mkOption {
      type = lib.types.str;
      default = "/run/tee-echo/public-key";
      readOnly = true;
      description = "Where the public key is published (for services.tee-worker).";
    };
  };

  config = lib.mkIf cfg.enable {
    systemd.services.echo-rust = {
      description = "Signing TCP echo service";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      serviceConfig = {
        ExecStart = "${lib.getExe' cfg.package "tee-echo"} --key %S/tee-echo/key --listen ${cfg.listen} --pubkey-out ${cfg.publicKeyFile}";
        Restart = "always";
        RestartSec = 2;
        DynamicUser = true;
        StateDirectory = "tee-echo";
        StateDirectoryMode = "0700";
        RuntimeDirectory = "tee-echo";
        RuntimeDirectoryMode = "0755";
        RuntimeDirectoryPreserve = true;
        NoNewPrivileges = true;
        ProtectSystem = "strict";
        ProtectHome = true;
        PrivateTmp = true;
        PrivateDevices = true;
        ProtectKernelTunables = true;
        ProtectKernelModules = true;
        ProtectControlGroups = true;
        RestrictAddressFamilies = [
          "AF_INET"
          "AF_INET6"
        ];
        LockPersonality = true;
        MemoryDenyWriteExecute = true;
        SystemCallArchitectures = "native";
        CapabilityBoundingSet = "";
      };
    };
  };
}
