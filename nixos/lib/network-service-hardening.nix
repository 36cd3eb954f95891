# The systemd settings the echo services and the collateral keeper share: a restarting
# network service with no privileges, no devices and a read-only system (merged into their
# serviceConfig).
{
  Restart = "always";
  RestartSec = 2;
  DynamicUser = true;
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
}
