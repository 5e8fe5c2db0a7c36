// Every route `slimnlp serve` answers, with its method: the one list that the router's 405 answers, the metrics
// labels and the OpenAPI document (GET /openapi.json) are checked against, so that none can name a route the
// others do not know.
#ifndef SLIMNLP_SRC_SERVER_ROUTES_H_
#define SLIMNLP_SRC_SERVER_ROUTES_H_

#include <array>
#include <string>
#include <string_view>

namespace slimnlp::server {

struct Route {
  std::string_view path;
  std::string_view method;  // "GET" routes also answer HEAD.
};

inline constexpr std::array<Route, 10> kRouteTable = {{{"/v1/langid", "POST"},
                                                       {"/v1/segment", "POST"},
                                                       {"/v1/tag", "POST"},
                                                       {"/v1/annotate", "POST"},
                                                       {"/v1/search", "POST"},
                                                       {"/v1/models", "GET"},
                                                       {"/openapi.json", "GET"},
                                                       {"/healthz", "GET"},
                                                       {"/readyz", "GET"},
                                                       {"/metrics", "GET"}}};

// The route at `path`, or null.
inline const Route* FindRoute(std::string_view path) {
  for (const Route& r : kRouteTable)
    if (r.path == path) return &r;
  return nullptr;
}

// The OpenAPI 3.0 document of these routes: each POST body's fields, each answer's shape, the error object.
const std::string& OpenApiDocument();

}  // namespace slimnlp::server

#endif  // SLIMNLP_SRC_SERVER_ROUTES_H_
