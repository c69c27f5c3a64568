#include "goodhart/api/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace goodhart::api {
namespace {

// The backlog of the TCP socket listening on `port`, as the kernel reports it to `ss -l` (the
// write queue of a listening socket in NETLINK_SOCK_DIAG), or -1 when it cannot be asked.
int ListenBacklog(int port) {
  int fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0)
    return -1;
  struct {
    nlmsghdr header;
    inet_diag_req_v2 request;
  } message;
  std::memset(&message, 0, sizeof(message));
  message.header.nlmsg_len = sizeof(message);
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  message.request.sdiag_family = AF_INET;
  message.request.sdiag_protocol = IPPROTO_TCP;
  message.request.idiag_states = 1u << TCP_LISTEN;
  int backlog = -1;
  if (::send(fd, &message, sizeof(message), 0) < 0) {
    ::close(fd);
    return -1;
  }
  alignas(nlmsghdr) char buffer[32768];
  for (bool done = false; !done;) {
    ssize_t received = ::recv(fd, buffer, sizeof(buffer), 0);
    if (received <= 0)
      break;
    int left = static_cast<int>(received);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buffer); NLMSG_OK(h, left);
         h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
        done = true;
        break;
      }
      const auto* socket = static_cast<const inet_diag_msg*>(NLMSG_DATA(h));
      if (ntohs(socket->id.idiag_sport) == port)
        backlog = static_cast<int>(socket->idiag_wqueue);
    }
  }
  ::close(fd);
  return backlog;
}

// Issue #7: cpp-httplib 0.11 listens with a backlog of 5, so clients connecting together (wrk's
// connections reconnecting after their keep-alive maximum) lost handshakes and waited a second.
TEST(HttpServerTest, Issue7_ListenBacklogIsRaised) {
  config::ServerConfig config;
  config.listen = "127.0.0.1:0";
  HttpServer server(config);
  ASSERT_TRUE(server.Start().ok());
  int backlog = ListenBacklog(server.port());
  if (backlog < 0)
    GTEST_SKIP() << "NETLINK_SOCK_DIAG is not available here";
  EXPECT_GT(backlog, 5);
  server.Shutdown();
}

// A second server on a port in use fails to start (cpp-httplib's default SO_REUSEPORT let both
// listen, and the kernel split the connections between them).
TEST(HttpServerTest, ASecondServerOnTheSamePortDoesNotStart) {
  config::ServerConfig config;
  config.listen = "127.0.0.1:0";
  HttpServer first(config);
  ASSERT_TRUE(first.Start().ok());
  config.listen = "127.0.0.1:" + std::to_string(first.port());
  HttpServer second(config);
  EXPECT_FALSE(second.Start().ok());
  second.Shutdown();
  first.Shutdown();
}

}  // namespace
}  // namespace goodhart::api
