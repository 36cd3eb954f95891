#include "connection.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "log.hpp"

namespace echo {
namespace {

// One recv() per readiness event: large enough to be efficient, small enough that one busy
// client cannot monopolise the loop (poll is level-triggered, we come back for the rest).
constexpr std::size_t kReadChunk = 16 * 1024;

// Buffers that grew past this for one long line are given back once empty, so thousands
// of idle clients do not each keep their peak allocation.
constexpr std::size_t kKeptCapacity = 16 * 1024;

void release_if_large(std::string& buffer) {
  if (buffer.empty() && buffer.capacity() > kKeptCapacity) {
    std::string().swap(buffer);
  }
}

bool would_block(int error) { return error == EAGAIN || error == EWOULDBLOCK; }

}  // namespace

Connection::Connection(UniqueFd fd, std::string peer, ConnectionLimits limits)
    : fd_(std::move(fd)), peer_(std::move(peer)), limits_(limits) {}

bool Connection::wants_to_read() const noexcept {
  return !peer_done_sending_ && pending_output() < limits_.output_high_water;
}

short Connection::poll_events() const noexcept {
  short events = 0;
  if (wants_to_read()) {
    events |= POLLIN;
  }
  if (pending_output() > 0) {
    events |= POLLOUT;
  }
  return events;
}

bool Connection::handle_events(short revents) {
  if ((revents & POLLNVAL) != 0) {
    return false;  // not a descriptor we own any more; dropping it beats spinning on it
  }
  // On POLLHUP/POLLERR recv() itself reports the end of stream or the error.
  if ((revents & (POLLIN | POLLHUP | POLLERR)) != 0 && wants_to_read() && !read_some()) {
    return false;
  }
  // Send right away rather than waiting for POLLOUT: the socket usually has room, and this
  // saves a poll() round trip per line.
  if (pending_output() > 0 && !flush_output()) {
    return false;
  }
  // After a hang-up or error nothing more can be delivered; stop before poll() reports it
  // again forever.
  if ((revents & (POLLHUP | POLLERR)) != 0) {
    return false;
  }
  return !(peer_done_sending_ && pending_output() == 0);
}

bool Connection::read_some() {
  char buffer[kReadChunk];
  for (;;) {
    const ssize_t received = ::recv(fd_.get(), buffer, sizeof buffer, 0);
    if (received > 0) {
      return consume(buffer, static_cast<std::size_t>(received));
    }
    if (received == 0) {
      // Orderly shutdown of the client's sending side. A line it did not finish is never
      // echoed: only complete lines are. Answers already owed are still sent.
      peer_done_sending_ = true;
      partial_line_.clear();
      release_if_large(partial_line_);
      return true;
    }
    if (errno == EINTR) {
      continue;
    }
    // Would-block is a spurious wake-up; anything else (ECONNRESET, ...) means the client
    // is gone, which is routine and not worth a log line.
    return would_block(errno);
  }
}

// Appends every complete line in `data` (with its '\n') to the output, keeps the tail as
// the partial line. Scans only the new bytes, so a line that arrives one byte at a time
// costs linear, not quadratic, time.
bool Connection::consume(const char* data, std::size_t size) {
  const char* cursor = data;
  const char* const end = data + size;
  while (cursor < end) {
    const auto* newline =
        static_cast<const char*>(std::memchr(cursor, '\n', static_cast<std::size_t>(end - cursor)));
    if (newline == nullptr) {
      break;
    }
    const auto segment = static_cast<std::size_t>(newline - cursor);
    if (partial_line_.size() + segment > limits_.max_line) {
      return reject_long_line();
    }
    output_ += partial_line_;
    output_.append(cursor, segment + 1);
    partial_line_.clear();
    cursor = newline + 1;
  }
  release_if_large(partial_line_);
  partial_line_.append(cursor, static_cast<std::size_t>(end - cursor));
  if (partial_line_.size() > limits_.max_line) {
    return reject_long_line();
  }
  return true;
}

bool Connection::reject_long_line() {
  // The client broke the protocol; it is disconnected at once, and answers it was still
  // owed are dropped with it.
  log_line("client " + peer_ + " sent a line longer than " + std::to_string(limits_.max_line) +
           " bytes; closing its connection");
  return false;
}

bool Connection::flush_output() {
  while (pending_output() > 0) {
    // MSG_NOSIGNAL: a client that went away yields EPIPE here instead of killing the
    // process with SIGPIPE.
    const ssize_t sent =
        ::send(fd_.get(), output_.data() + output_sent_, pending_output(), MSG_NOSIGNAL);
    if (sent > 0) {
      output_sent_ += static_cast<std::size_t>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) {
      continue;
    }
    if (sent < 0 && would_block(errno)) {
      break;  // socket buffer full; poll() tells us when there is room again
    }
    return false;  // EPIPE, ECONNRESET, ...: the client is gone
  }
  compact_output();
  return true;
}

void Connection::compact_output() {
  if (output_sent_ == output_.size()) {
    output_.clear();
    output_sent_ = 0;
    release_if_large(output_);
  } else if (output_sent_ >= output_.size() / 2) {
    // Moving the unsent half down only when it is at most half keeps this amortised O(1)
    // per byte.
    output_.erase(0, output_sent_);
    output_sent_ = 0;
  }
}

}  // namespace echo
