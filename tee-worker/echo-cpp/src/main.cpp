// echo-cpp: a TCP line-echo service. See README.md.

#include <signal.h>
#include <sys/resource.h>

#include <cerrno>
#include <csignal>
#include <exception>
#include <iostream>
#include <string>
#include <system_error>

#include "log.hpp"
#include "options.hpp"
#include "server.hpp"

namespace {

// Bytes a client may have waiting to be sent before we stop reading from it.
constexpr std::size_t kOutputHighWater = 64 * 1024;

// Descriptors needed besides the clients': stdio, the listener, and some slack.
constexpr rlim_t kReservedDescriptors = 16;

volatile std::sig_atomic_t g_stop_signal = 0;

void on_stop_signal(int signal_number) { g_stop_signal = signal_number; }

// Installs the SIGINT/SIGTERM handler and blocks both; returns the mask for the event loop
// to wait with, in which they are unblocked (see Server::run).
sigset_t install_stop_signals() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  for (const int signal_number : {SIGINT, SIGTERM}) {
    sigaddset(&stop_signals, signal_number);
    if (::sigaction(signal_number, &action, nullptr) != 0) {
      throw std::system_error(errno, std::generic_category(), "sigaction");
    }
  }
  sigset_t wait_mask;
  if (::sigprocmask(SIG_BLOCK, &stop_signals, &wait_mask) != 0) {
    throw std::system_error(errno, std::generic_category(), "sigprocmask");
  }
  // The inherited mask might block them too; the wait must not.
  sigdelset(&wait_mask, SIGINT);
  sigdelset(&wait_mask, SIGTERM);
  return wait_mask;
}

// Each client takes a descriptor. Raise the soft limit towards the hard one so that the
// default --max-clients fits under the common soft limit of 1024; if even the hard limit
// is too low, say so: accept() failures are then handled by pausing, not fatal.
void ensure_descriptor_limit(std::size_t max_clients) {
  const rlim_t needed = static_cast<rlim_t>(max_clients) + kReservedDescriptors;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY ||
      limit.rlim_cur >= needed) {
    return;
  }
  const bool enough = limit.rlim_max == RLIM_INFINITY || limit.rlim_max >= needed;
  limit.rlim_cur = enough ? needed : limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0 || !enough) {
    ::getrlimit(RLIMIT_NOFILE, &limit);
    echo::log_line("warning: --max-clients " + std::to_string(max_clients) + " needs " +
                   std::to_string(needed) + " file descriptors but the limit is " +
                   std::to_string(limit.rlim_cur));
  }
}

int serve(const echo::Options& options) {
  // MSG_NOSIGNAL covers the sockets; this also covers writing to a closed stdout.
  std::signal(SIGPIPE, SIG_IGN);
  // Before binding, so a stop signal that arrives during start-up waits for the loop.
  const sigset_t wait_mask = install_stop_signals();
  ensure_descriptor_limit(options.max_clients);

  echo::Server server(options.listen,
                      echo::ServerLimits{options.max_clients,
                                         echo::ConnectionLimits{options.max_line, kOutputHighWater}});
  // Flushed (std::endl) so a supervisor or test reading the pipe sees it immediately.
  std::cout << "listening on " << server.local_address() << std::endl;

  server.run(g_stop_signal, wait_mask);
  echo::log_line(std::string("received ") + (g_stop_signal == SIGINT ? "SIGINT" : "SIGTERM") +
                 ", shutting down");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const echo::ParsedArgs args = echo::parse_args(argc, argv);
  switch (args.action) {
    case echo::ParsedArgs::Action::Help:
      std::cout << echo::usage_text() << std::flush;
      return 0;
    case echo::ParsedArgs::Action::Fail:
      echo::log_line(args.error + "\nTry 'echo-cpp --help' for more information.");
      return 2;
    case echo::ParsedArgs::Action::Run:
      break;
  }
  try {
    return serve(args.options);
  } catch (const std::exception& error) {
    echo::log_line(error.what());
    return 1;
  }
}
