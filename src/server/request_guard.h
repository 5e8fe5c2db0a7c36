// A strict reader of HTTP/1.1 request heads in front of cpp-httplib, which is lenient where leniency lets a
// proxy and this server read one request two ways (request smuggling) or lets a client hold a thread.
//
// The raw bytes of every request head on a connection are checked before httplib parses them, and refused
// with a JSON error and the connection closed:
//   400  a bare CR or LF (every line must end in CRLF); whitespace before a header's colon
//        ("Transfer-Encoding : chunked"); obs-fold (a header line starting with SP or HTAB); a header name
//        with a non-token byte; a control byte in a value; a malformed request line; a Content-Length that is
//        not 1-19 digits; two Content-Length headers
//   411  any Transfer-Encoding (bodies must have a Content-Length); a POST, PUT or PATCH without Content-Length,
//        answered at once instead of after the read timeout
//   413  a Content-Length over the body limit
//   414  a request line over 8 KiB
//   431  over 100 headers or 64 KiB of them
//   408  a head not complete within the read timeout, whatever the pace of its bytes
// and a body is cut off (connection closed) once it is slower than the read timeout plus a second per 64 KiB
// received: a slow client cannot hold a thread for long.
// Requests pipelined in one write are all answered (httplib 0.11 alone drops all but the first).
#ifndef SLIMNLP_SRC_SERVER_REQUEST_GUARD_H_
#define SLIMNLP_SRC_SERVER_REQUEST_GUARD_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace httplib {
class Server;
}

namespace slimnlp::server {

struct HeadLimits {
  size_t max_request_line = 8192;
  size_t max_headers = 100;
  size_t max_header_bytes = 64 * 1024;  // Names and values, counted as name + value + 4 per header.
  uint64_t max_body_bytes = 8 << 20;
};

struct HeadCheck {
  enum class State { kNeedMore, kComplete, kRefused } state = State::kNeedMore;
  size_t skip = 0;        // Empty lines before the request line (RFC 9112 2.2): dropped unread by httplib.
  size_t head_bytes = 0;  // kComplete: bytes of the head after `skip`, through the empty line.
  uint64_t content_length = 0;
  int status = 0;         // kRefused: the HTTP status and why.
  std::string message;
};

// Checks the head at the start of `bytes` (which may hold less than a whole head, or more: a body, further
// requests). kNeedMore if nothing is wrong yet but the head is incomplete.
HeadCheck CheckRequestHead(std::string_view bytes, const HeadLimits& limits);

// Called for each refusal: the client's address, the status, the message sent.
using RefusalCallback = std::function<void(const std::string& remote_addr, int status, const std::string& message)>;

// An httplib::Server whose connections go through the check above.
std::unique_ptr<httplib::Server> NewGuardedServer(const HeadLimits& limits, RefusalCallback on_refusal);

}  // namespace slimnlp::server

#endif  // SLIMNLP_SRC_SERVER_REQUEST_GUARD_H_
