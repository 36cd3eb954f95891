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
      serviceConfig = import ../lib/network-service-hardening.nix // {
        # The key is created and its public half published before the unit counts as
        # started (ExecStartPre completes first), so services.tee-worker, ordered after this
        # unit, always finds the file.
        ExecStartPre = "${lib.getExe' cfg.package "tee-echo"} --key %S/tee-echo/key --pubkey-out ${cfg.publicKeyFile} --print-pubkey";
        ExecStart = "${lib.getExe' cfg.package "tee-echo"} --key %S/tee-echo/key --listen ${cfg.listen} --pubkey-out ${cfg.publicKeyFile}";
        StateDirectory = "tee-echo";
        StateDirectoryMode = "0700";
        RuntimeDirectory = "tee-echo";
        RuntimeDirectoryMode = "0755";
        RuntimeDirectoryPreserve = true;
      };
    };
  };
}
