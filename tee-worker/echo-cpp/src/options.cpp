#include "options.hpp"

#include <charconv>
#include <string_view>

namespace echo {
namespace {

// Upper bounds that catch typos (an extra zero or two) rather than express a hard limit of
// the design: every client may hold a few times --max-line bytes in memory.
constexpr std::size_t kMaxClientsLimit = 1 << 20;
constexpr std::size_t kMaxLineLimit = 16 << 20;

bool parse_count(std::string_view text, std::size_t max, std::size_t& out) {
  std::size_t value = 0;
  const char* const end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || stop != end || value < 1 || value > max) {
    return false;
  }
  out = value;
  return true;
}

ParsedArgs failure(std::string message) {
  ParsedArgs result;
  result.action = ParsedArgs::Action::Fail;
  result.error = std::move(message);
  return result;
}

}  // namespace

std::string usage_text() {
  return "Usage: echo-cpp --listen ADDRESS:PORT [--max-clients N] [--max-line BYTES]\n"
         "\n"
         "TCP line-echo service: every line a client sends (the bytes up to and including\n"
         "'\\n') is written back to that client unchanged.\n"
         "\n"
         "Options:\n"
         "  --listen ADDRESS:PORT  numeric address to listen on, IPv4 (127.0.0.1:7000) or\n"
         "                         IPv6 in brackets ([::1]:7000); port 0 picks a free port\n"
         "  --max-clients N        clients served at once (default 1024); further\n"
         "                         connections wait in the kernel's backlog\n"
         "  --max-line BYTES       longest line accepted, without its '\\n' (default 65536);\n"
         "                         a client that sends a longer line is disconnected\n"
         "  -h, --help             print this help and exit\n"
         "\n"
         "Prints \"listening on ADDRESS:PORT\" on stdout once bound. SIGINT or SIGTERM stops\n"
         "the service. Exit status: 0 after a stop signal or --help, 1 on a runtime error\n"
         "(e.g. address in use), 2 on bad arguments.\n";
}

ParsedArgs parse_args(int argc, const char* const* argv) {
  ParsedArgs result;
  bool seen_listen = false;
  bool seen_max_clients = false;
  bool seen_max_line = false;

  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      result.action = ParsedArgs::Action::Help;
      return result;
    }
    if (arg.substr(0, 1) != "-") {
      return failure("unexpected argument '" + std::string(arg) + "'");
    }

    // Accept both "--name value" and "--name=value".
    std::string_view name = arg;
    std::string_view value;
    const auto equals = arg.find('=');
    bool has_value = false;
    if (arg.substr(0, 2) == "--" && equals != std::string_view::npos) {
      name = arg.substr(0, equals);
      value = arg.substr(equals + 1);
      has_value = true;
    }

    bool* seen = nullptr;
    if (name == "--listen") {
      seen = &seen_listen;
    } else if (name == "--max-clients") {
      seen = &seen_max_clients;
    } else if (name == "--max-line") {
      seen = &seen_max_line;
    } else {
      return failure("unknown option '" + std::string(name) + "'");
    }
    const std::string shown(name);
    if (*seen) {
      return failure("option " + shown + " given more than once");
    }
    *seen = true;
    if (!has_value) {
      if (i + 1 >= argc) {
        return failure("option " + shown + " needs a value");
      }
      value = argv[++i];
    }

    if (name == "--listen") {
      std::string error;
      if (!parse_socket_address(value, result.options.listen, error)) {
        return failure(error);
      }
    } else if (name == "--max-clients") {
      if (!parse_count(value, kMaxClientsLimit, result.options.max_clients)) {
        return failure("invalid --max-clients '" + std::string(value) + "': expected 1 to " +
                       std::to_string(kMaxClientsLimit));
      }
    } else if (!parse_count(value, kMaxLineLimit, result.options.max_line)) {
      return failure("invalid --max-line '" + std::string(value) + "': expected 1 to " +
                     std::to_string(kMaxLineLimit));
    }
  }

  if (!seen_listen) {
    return failure("missing required option --listen ADDRESS:PORT");
  }
  result.action = ParsedArgs::Action::Run;
  return result;
}

}  // namespace echo
