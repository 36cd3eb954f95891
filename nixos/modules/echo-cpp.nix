# services.echo-cpp: the plain C++17 TCP line echo service.
{
  config,
  lib,
  ...
}:
let
  cfg = config.services.echo-cpp;
in
{
  options.services.echo-cpp = {
    enable = lib.mkEnableOption "the C++ TCP line echo service";
    package = lib.mkOption {
      type = lib.types.package;
      description = "The echo-cpp package.";
    };
    listen = lib.mkOption {
      type = lib.types.str;
      default = "0.0.0.0:7001";
      description = "Numeric address and port to listen on.";
    };
  };

  config = lib.mkIf cfg.enable {
    systemd.services.echo-cpp = {
      description = "C++ TCP line echo service";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      serviceConfig = import ../lib/network-service-hardening.nix // {
        ExecStart = "${lib.getExe' cfg.package "echo-cpp"} --listen ${cfg.listen}";
      };
    };
  };
}
