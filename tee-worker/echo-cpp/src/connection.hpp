#pragma once

#include <cstddef>
#include <string>

#include "unique_fd.hpp"

namespace echo {

struct ConnectionLimits {
  std::size_t max_line;           // longest line accepted, without its '\n'
  std::size_t output_high_water;  // stop reading while this many bytes wait to be sent
};

// One client on a non-blocking socket: echoes every complete line and keeps what the
// socket has not yet taken. Memory stays bounded: the partial line is at most max_line
// bytes, and reading pauses while output_high_water bytes are unsent, so the output holds
// at most output_high_water + max_line + one read chunk. A client that stops reading is
// thereby slowed down by TCP flow control instead of growing our buffers.
class Connection {
 public:
  Connection(UniqueFd fd, std::string peer, ConnectionLimits limits);

  int fd() const noexcept { return fd_.get(); }

  // The poll() events this connection waits for; never 0 for a live connection.
  short poll_events() const noexcept;

  // Handles the events poll() reported. Returns false when the connection is finished
  // (closed by the peer, failed, or broke a limit) and should be dropped.
  bool handle_events(short revents);

 private:
  bool wants_to_read() const noexcept;
  std::size_t pending_output() const noexcept { return output_.size() - output_sent_; }

  bool read_some();
  bool consume(const char* data, std::size_t size);
  bool flush_output();
  void compact_output();
  bool reject_long_line();

  UniqueFd fd_;
  std::string peer_;  // for log messages
  ConnectionLimits limits_;
  std::string partial_line_;     // bytes after the last '\n' received
  std::string output_;           // echoed bytes; output_[output_sent_..] is still unsent
  std::size_t output_sent_ = 0;
  bool peer_done_sending_ = false;  // recv() returned 0: flush what is left, then close
};

}  // namespace echo
