// The HTTP service: a real server on a free loopback port, spoken to over HTTP. Every endpoint, every error,
// authentication, limits, metrics, many clients at once, and shutdown with requests in flight (in process and
// by SIGTERM to `slimnlp serve`).
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#include <spawn.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <chrono>
#include <thread>
#include <set>
#include <cstring>

#include "slimnlp/version.h"

#include "src/server/http_server.h"
#include "src/server/routes.h"
#include "tests/test_util.h"

extern char** environ;

using namespace slimnlp;
using nlohmann::json;

namespace {


// A server in this process, on a free port, serving until destroyed.
class TestServer {
 public:
  explicit TestServer(server::ApiLimits limits = {}, server::ServerOptions options = {},
                      const ShardedIndex* index = nullptr, const Reranker* reranker = nullptr)
      : api_(testing::ShippedPipeline(), index, reranker, limits) {
    options.port = 0;
    options.access_log = nullptr;
    http_ = std::make_unique<server::HttpServer>(api_, options);
    REQUIRE(http_->Bind().ok());
    thread_ = std::thread([this] { run_status_ = http_->Run(); });
    httplib::Client c = Client();
    for (int i = 0; i < 200 && !c.Get("/readyz"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~TestServer() { Stop(); }
  void Stop() {
    if (!thread_.joinable()) return;
    http_->Stop();
    thread_.join();
  }
  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", http_->port());
    c.set_read_timeout(30, 0);
    return c;
  }
  server::HttpServer& http() { return *http_; }
  const absl::Status& run_status() const { return run_status_; }

 private:
  server::Api api_;
  std::unique_ptr<server::HttpServer> http_;
  std::thread thread_;
  absl::Status run_status_;
};

struct Reply {
  int status = 0;
  json body;
  std::string raw;
};

Reply Post(httplib::Client& c, const std::string& path, const std::string& body, const httplib::Headers& h = {}) {
  httplib::Result r = c.Post(path.c_str(), h, body, "application/json");
  REQUIRE(r);
  Reply out{r->status, json::parse(r->body, nullptr, false), r->body};
  return out;
}

Reply Get(httplib::Client& c, const std::string& path, const httplib::Headers& h = {}) {
  httplib::Result r = c.Get(path.c_str(), h);
  REQUIRE(r);
  return {r->status, json::parse(r->body, nullptr, false), r->body};
}

// Sends `bytes` on a fresh connection and returns the first response that comes back within `seconds`: its
// headers and as much body as its Content-Length says (or all until the server closes).
std::string RawExchange(int port, const std::string& bytes, int seconds) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  REQUIRE(send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
  timeval timeout{seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  std::string reply;
  char buf[4096];
  for (ssize_t n; reply.size() < 65536 && (n = recv(fd, buf, sizeof(buf), 0)) > 0;) {
    reply.append(buf, n);
    const size_t end = reply.find("\r\n\r\n");
    const size_t length = reply.find("Content-Length: ");
    if (end != std::string::npos && length != std::string::npos && length < end &&
        reply.size() >= end + 4 + std::stoul(reply.substr(length + 16))) {
      break;
    }
  }
  close(fd);
  return reply;
}

// An error reply: the status, and a JSON body saying the same status and a message containing `words`.
void CheckError(const Reply& r, int status, const std::string& words) {
  CHECK(r.status == status);
  REQUIRE(r.body.is_object());
  REQUIRE(r.body.contains("error"));
  CHECK(r.body["error"]["status"] == status);
  CHECK_THAT(r.body["error"]["message"].get<std::string>(), Catch::Contains(words));
}

std::string Tags(const json& tokens) {
  std::string s;
  for (const json& t : tokens) s += (s.empty() ? "" : " ") + t["text"].get<std::string>() + "/" + t["upos"].get<std::string>();
  return s;
}

}  // namespace

TEST_CASE("server: langid answers one text, a batch and the top k", "[server]") {
  TestServer s;
  httplib::Client c = s.Client();
  Reply one = Post(c, "/v1/langid", R"({"text": "Je voudrais une tasse de café, s'il vous plaît."})");
  REQUIRE(one.status == 200);
  CHECK(one.body["language"] == "fr");
  CHECK(one.body["reliable"] == true);
  CHECK(one.body["probability"].get<double>() > 0.9);
  Reply batch = Post(c, "/v1/langid", R"({"texts": ["Ich hätte gern einen Kaffee.", "", "Quisiera un café."], "top_k": 3})");
  REQUIRE(batch.status == 200);
  REQUIRE(batch.body["results"].size() == 3);
  CHECK(batch.body["results"][0]["language"] == "de");
  CHECK(batch.body["results"][1]["language"] == "und");
  CHECK(batch.body["results"][2]["language"] == "es");
  CHECK(batch.body["results"][0]["top"].size() == 3);
  CHECK(batch.body["results"][0]["top"][0]["language"] == "de");
}

TEST_CASE("server: segment, tag and annotate give tokens with offsets and tags", "[server]") {
  TestServer s;
  httplib::Client c = s.Client();
  const std::string zh = "北京大学的学生在图书馆看书。";
  Reply seg = Post(c, "/v1/segment", json{{"text", zh}}.dump());
  REQUIRE(seg.status == 200);
  CHECK(seg.body["segmenter"] == "model");
  CHECK(seg.body["language"].get<std::string>().rfind("zh", 0) == 0);
  size_t end = 0;
  for (const json& t : seg.body["tokens"]) {
    CHECK(t["begin"] == end);
    end = t["end"];
    CHECK(zh.substr(t["begin"], end - t["begin"].get<size_t>()) == t["text"]);
  }
  CHECK(end == zh.size());
  Reply simple = Post(c, "/v1/segment", R"({"text": "Hello, world.", "language": "sw"})");  // No Swahili models.
  REQUIRE(simple.status == 200);
  CHECK(simple.body["segmenter"] == "simple");
  CHECK(simple.body["tokens"].size() == 4);
  // Each sentence is segmented on its own, as `slimnlp segment` does: "saw." is two tokens mid-text too.
  Reply running = Post(c, "/v1/segment", R"({"text": "I came. I saw. I left.", "language": "en"})");
  REQUIRE(running.status == 200);
  std::vector<std::string> texts;
  for (const json& t : running.body["tokens"]) texts.push_back(t["text"]);
  CHECK(texts == std::vector<std::string>{"I", "came", ".", "I", "saw", ".", "I", "left", "."});
  Reply annotated = Post(c, "/v1/annotate", R"({"text": "I came. I saw.", "language": "en"})");
  REQUIRE(annotated.status == 200);
  CHECK(annotated.body["split"] == true);
  REQUIRE(annotated.body["sentences"].size() == 2);
  CHECK(annotated.body["sentences"][1]["first_token"] == 3);

  Reply tokens = Post(c, "/v1/tag", R"({"tokens": ["The", "cat", "sat", "."], "language": "en"})");
  REQUIRE(tokens.status == 200);
  CHECK(Tags(tokens.body["tokens"]) == "The/DET cat/NOUN sat/VERB ./PUNCT");
  Reply text = Post(c, "/v1/tag", R"({"text": "The cat sat.", "language": "en"})");
  REQUIRE(text.status == 200);
  CHECK(Tags(text.body["tokens"]) == "The/DET cat/NOUN sat/VERB ./PUNCT");
  CHECK(text.body["tokens"][1]["begin"] == 4);

  Reply a = Post(c, "/v1/annotate", R"({"texts": ["Je vais au marché.", "The cat sat."]})");
  REQUIRE(a.status == 200);
  const json& fr = a.body["results"][0];
  CHECK(fr["language"] == "fr");
  CHECK(fr["tagged"] == true);
  CHECK(Tags(fr["tokens"]) == "Je/PRON vais/VERB à/ADP le/DET marché/NOUN ./PUNCT");
  CHECK(fr["tokens"][2]["token"] == "au");
  CHECK(a.body["results"][1]["language"] == "en");
}

TEST_CASE("server: search over an index, with and without the reranker", "[server]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("docs.jsonl"),
                     R"({"id": "a", "title": "Paris", "text": "Paris is the capital of France, on the Seine."})" "\n"
                     R"({"id": "b", "title": "Berlin", "text": "Berlin is the capital of Germany."})" "\n"
                     R"({"id": "c", "title": "Rome", "text": "Rome was founded in 753 BC, says the legend."})" "\n");
  IndexBuildOptions build;
  build.input_paths = {dir.File("docs.jsonl")};
  build.output_path = dir.File("docs.index");
  REQUIRE(BuildIndex(build).ok());
  absl::StatusOr<std::unique_ptr<ShardedIndex>> index = ShardedIndex::Open({build.output_path});
  REQUIRE(index.ok());
  absl::StatusOr<std::unique_ptr<Reranker>> reranker = Reranker::Load(testing::ShippedModel("rerank.slim"));
  REQUIRE(reranker.ok());
  TestServer s({}, {}, index->get(), reranker->get());
  httplib::Client c = s.Client();
  Reply r = Post(c, "/v1/search", R"({"query": "capital of Germany", "k": 2, "rerank": false})");
  REQUIRE(r.status == 200);
  REQUIRE(r.body["hits"].size() == 2);
  CHECK(r.body["hits"][0]["id"] == "b");
  CHECK(r.body["hits"][0]["title"] == "Berlin");
  CHECK(r.body["hits"][0]["rank"] == 1);
  CHECK_THAT(r.body["hits"][0]["snippet"].get<std::string>(), Catch::Contains("Germany"));
  Reply reranked = Post(c, "/v1/search", R"({"queries": ["when was Rome founded?"], "snippet": false})");
  REQUIRE(reranked.status == 200);
  CHECK(reranked.body["results"][0]["hits"][0]["id"] == "c");
  CHECK_FALSE(reranked.body["results"][0]["hits"][0].contains("snippet"));
  CheckError(Post(c, "/v1/search", R"({"query": "x", "scoring": "magic"})"), 400, "scoring");
  CHECK(Get(c, "/v1/models").body["index"]["documents"] == 3);
}

TEST_CASE("server: search over shards answers as over one index of the same documents", "[server][sharded]") {
  testing::TempDir dir;
  // Ten documents in shards of 2, 5 and 3: "capital" is in 6 of them, "germany" in 2, so the shards' own
  // statistics are far from the collection's.
  const char* texts[] = {"Paris is the capital of France, on the Seine.",
                         "Berlin is the capital of Germany.",
                         "Rome was founded in 753 BC, says the legend.",
                         "Madrid is the capital of Spain and its largest city.",
                         "The Rhine flows through Germany and the Netherlands.",
                         "Lisbon, the capital of Portugal, lies on the Tagus.",
                         "Vienna was the capital of an empire.",
                         "Rome is the capital of Italy.",
                         "The Danube flows from Germany to the Black Sea.",
                         "Athens is the capital of Greece, with the Acropolis."};
  std::string all, part;
  std::vector<std::string> shards;
  for (int d = 0; d < 10; ++d) {
    const std::string line = json{{"id", "d" + std::to_string(d)}, {"title", "T" + std::to_string(d)}, {"text", texts[d]}}.dump() + "\n";
    all += line;
    part += line;
    if (d == 1 || d == 6 || d == 9) {
      shards.push_back(dir.File("shard-" + std::to_string(shards.size()) + ".index"));
      testing::WriteFile(shards.back() + ".jsonl", part);
      IndexBuildOptions build;
      build.input_paths = {shards.back() + ".jsonl"};
      build.output_path = shards.back();
      REQUIRE(BuildIndex(build).ok());
      part.clear();
    }
  }
  testing::WriteFile(dir.File("all.jsonl"), all);
  IndexBuildOptions build;
  build.input_paths = {dir.File("all.jsonl")};
  build.output_path = dir.File("all.index");
  REQUIRE(BuildIndex(build).ok());
  absl::StatusOr<std::unique_ptr<ShardedIndex>> whole = ShardedIndex::Open({build.output_path});
  absl::StatusOr<std::unique_ptr<ShardedIndex>> sharded = ShardedIndex::Open(shards);
  REQUIRE(whole.ok());
  REQUIRE(sharded.ok());
  absl::StatusOr<std::unique_ptr<Reranker>> reranker = Reranker::Load(testing::ShippedModel("rerank.slim"));
  REQUIRE(reranker.ok());
  TestServer one({}, {}, whole->get(), reranker->get()), three({}, {}, sharded->get(), reranker->get());
  httplib::Client c1 = one.Client(), c3 = three.Client();

  const json models = Get(c3, "/v1/models").body;
  CHECK(models["index"]["documents"] == 10);
  CHECK(models["index"]["shards"] == 3);
  CHECK(Get(c1, "/v1/models").body["index"]["shards"] == 1);
  for (const char* body : {R"({"queries": ["capital of Germany", "rivers of Germany", "when was Rome founded"], "rerank": false, "k": 10})",
                           R"({"query": "the Danube and the Rhine flow through Germany", "scoring": "tfidf", "rerank": false})",
                           R"({"queries": ["capital of Germany", "when was Rome founded"], "k": 5})"}) {
    INFO(body);
    const Reply e = Post(c1, "/v1/search", body), g = Post(c3, "/v1/search", body);
    REQUIRE(e.status == 200);
    REQUIRE(g.status == 200);
    const json& er = e.body.contains("results") ? e.body["results"] : json::array({e.body});
    const json& gr = g.body.contains("results") ? g.body["results"] : json::array({g.body});
    REQUIRE(gr.size() == er.size());
    for (size_t q = 0; q < er.size(); ++q) {
      REQUIRE(gr[q]["hits"].size() == er[q]["hits"].size());
      CHECK(er[q]["hits"].size() > 1);
      for (size_t i = 0; i < er[q]["hits"].size(); ++i) {
        json eh = er[q]["hits"][i], gh = gr[q]["hits"][i];
        CHECK(gh["score"].get<double>() == Approx(eh["score"].get<double>()).epsilon(1e-5));
        eh.erase("score");
        gh.erase("score");
        CHECK(gh == eh);
      }
    }
  }
  // The test has teeth: the middle shard alone (its own statistics) scores its documents otherwise.
  absl::StatusOr<std::unique_ptr<ShardedIndex>> alone = ShardedIndex::Open({shards[1]});
  REQUIRE(alone.ok());
  TestServer local({}, {}, alone->get(), nullptr);
  httplib::Client cl = local.Client();
  const Reply a = Post(cl, "/v1/search", R"({"query": "capital"})");
  const Reply w = Post(c1, "/v1/search", R"({"query": "capital", "rerank": false})");
  size_t compared = 0;
  for (const json& h : a.body["hits"]) {
    for (const json& e : w.body["hits"]) {
      if (e["id"] != h["id"]) continue;
      CHECK(e["score"].get<double>() != Approx(h["score"].get<double>()).epsilon(1e-3));
      ++compared;
    }
  }
  CHECK(compared >= 3);

  // /openapi.json describes what the sharded server answers: each hit's fields, and the index's.
  const json doc = Get(c3, "/openapi.json").body;
  const json& search = doc["paths"]["/v1/search"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"][0];
  const json& hit_fields = search["properties"]["hits"]["items"]["properties"];
  const Reply answer = Post(c3, "/v1/search", R"({"query": "capital"})");
  REQUIRE(answer.body["hits"].size() > 0);
  for (const auto& [field, value] : answer.body["hits"][0].items()) CHECK(hit_fields.contains(field));
  const json& index_fields =
      doc["paths"]["/v1/models"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["index"]["properties"];
  CHECK(index_fields.size() == models["index"].size());
  for (const auto& [field, value] : models["index"].items()) CHECK(index_fields.contains(field));
}

TEST_CASE("server: models, health, readiness and metrics", "[server]") {
  TestServer s;
  httplib::Client c = s.Client();
  Reply models = Get(c, "/v1/models");
  REQUIRE(models.status == 200);
  bool langid = false, pos_en = false;
  for (const json& m : models.body["models"]) {
    CHECK(m["file_bytes"].get<size_t>() > 0);
    langid |= m["task"] == "langid" && m["budget_bytes"].get<size_t>() > 0;
    pos_en |= m["name"] == "pos-en" && m["language"] == "en";
  }
  CHECK(langid);
  CHECK(pos_en);
  CHECK(Get(c, "/healthz").status == 200);
  CHECK(Get(c, "/readyz").status == 200);
  Post(c, "/v1/langid", R"({"text": "hello there my friend"})");
  Post(c, "/v1/langid", R"({"text": 5})");
  // A request is counted once its response is written, by the thread that served it, and each request here
  // comes on a new connection: the scrape may be served before the last langid request is counted. Wait for it
  // (two seconds at most); a count that never arrives still fails below.
  const std::string done = "slimnlp_http_request_duration_seconds_count{route=\"/v1/langid\"} 2";
  std::string metrics = Get(c, "/metrics").raw;
  for (int i = 0; i < 200 && metrics.find(done) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    metrics = Get(c, "/metrics").raw;
  }
  CHECK_THAT(metrics, Catch::Contains("slimnlp_http_requests_total{route=\"/v1/langid\",code=\"200\"} 1"));
  CHECK_THAT(metrics, Catch::Contains("slimnlp_http_requests_total{route=\"/v1/langid\",code=\"400\"} 1"));
  CHECK_THAT(metrics, Catch::Contains("slimnlp_http_request_errors_total{route=\"/v1/langid\"} 1"));
  CHECK_THAT(metrics, Catch::Contains("slimnlp_http_request_duration_seconds_count{route=\"/v1/langid\"} 2"));
  CHECK_THAT(metrics, Catch::Contains("slimnlp_http_request_duration_seconds_bucket{route=\"/v1/langid\",le=\"+Inf\"} 2"));
}

TEST_CASE("server: malformed bodies, wrong types and wrong routes get a 4xx that says what is wrong",
          "[server][bad_input]") {
  TestServer s;
  httplib::Client c = s.Client();
  CheckError(Post(c, "/v1/langid", "{\"text\": "), 400, "not valid JSON");
  CheckError(Post(c, "/v1/langid", ""), 400, "not valid JSON");
  CheckError(Post(c, "/v1/langid", "[1, 2]"), 400, "JSON object");
  CheckError(Post(c, "/v1/langid", "{\"text\": \"caf\xc3\"}"), 400, "UTF-8");
  CheckError(Post(c, "/v1/langid", R"({"text": "\ud800"})"), 400, "not valid JSON");
  CheckError(Post(c, "/v1/langid", R"({"text": 5})"), 400, "'text' must be a string");
  CheckError(Post(c, "/v1/langid", R"({"texts": "one"})"), 400, "'texts' must be an array");
  CheckError(Post(c, "/v1/langid", R"({"texts": ["a", 2]})"), 400, "'texts[1]' must be a string");
  CheckError(Post(c, "/v1/langid", R"({"text": "a", "texts": ["b"]})"), 400, "not both");
  CheckError(Post(c, "/v1/langid", R"({})"), 400, "give either 'text'");
  CheckError(Post(c, "/v1/langid", R"({"txt": "a"})"), 400, "unknown field 'txt'");
  CheckError(Post(c, "/v1/langid", R"({"text": "a", "top_k": 0})"), 400, "'top_k' must be an integer from 1 to 20");
  CheckError(Post(c, "/v1/tag", R"({"tokens": ["a"]})"), 400, "needs 'language'");
  CheckError(Post(c, "/v1/tag", R"({"tokens": [], "language": "en"})"), 400, "non-empty array");
  CheckError(Post(c, "/v1/tag", R"({"text": "a", "language": "sw"})"), 400, "no tagger for language 'sw'");
  CheckError(Post(c, "/v1/segment", R"({"text": "a", "language": ""})"), 400, "non-empty string");
  CheckError(Post(c, "/v1/search", R"({"query": "a"})"), 404, "no index");
  CheckError(Post(c, "/v1/nothing", "{}"), 404, "no route POST /v1/nothing");
  CheckError(Get(c, "/v1/langid"), 405, "use POST");
  CheckError(Post(c, "/metrics", "{}"), 405, "use GET");
  // Found by fuzz_http_api: a number too large for a double made the JSON parser throw past the API.
  CheckError(Post(c, "/v1/langid", R"({"text": "a", "top_k": 1e9999})"), 400, "number overflow");
  std::string deep(100000, '[');
  CheckError(Post(c, "/v1/langid", deep), 400, "not valid JSON");
  // The JSON parser stops at a NUL byte: what follows must not be dropped unseen.
  CheckError(Post(c, "/v1/langid", std::string("{\"text\": \"a\"}\0{\"text\": 5}", 26)), 400, "NUL byte at offset 13");
  // After all that, the server still answers.
  CHECK(Post(c, "/v1/langid", R"({"text": "Dies ist ein ganz normaler Satz."})").body["language"] == "de");
}

TEST_CASE("server: limits on body, batch and text size give 413, and a deadline 503", "[server][bad_input]") {
  server::ApiLimits limits;
  limits.max_batch = 3;
  limits.max_text_bytes = 100;
  server::ServerOptions options;
  options.max_body_bytes = 1000;
  {
    TestServer s(limits, options);
    httplib::Client c = s.Client();
    CheckError(Post(c, "/v1/langid", R"({"texts": ["a", "b", "c", "d"]})"), 413, "4 items, over the limit of 3");
    CheckError(Post(c, "/v1/langid", json{{"text", std::string(101, 'a')}}.dump()), 413, "101 bytes, over the limit of 100");
    CheckError(Post(c, "/v1/langid", json{{"text", std::string(2000, 'a')}}.dump()), 413, "over the limit of 1000 bytes");
    // A body announced over the limit is refused from its header, without waiting for (or reading) it.
    const auto start = std::chrono::steady_clock::now();
    const std::string reply = RawExchange(s.http().port(),
                                          "POST /v1/langid HTTP/1.1\r\nHost: x\r\nContent-Length: 2147483648\r\n\r\n", 5);
    CHECK_THAT(reply, Catch::StartsWith("HTTP/1.1 413") && Catch::Contains("over the limit of 1000 bytes"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    CHECK_THAT(RawExchange(s.http().port(), "POST /v1/langid HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", 5),
               Catch::StartsWith("HTTP/1.1 400") && Catch::Contains("Content-Length"));
    CHECK(Post(c, "/v1/langid", json{{"texts", {"a", "b", "c"}}}.dump()).status == 200);
    // A chunked body could be any size: refused unread, as are two lengths and a flood of headers.
    CHECK_THAT(RawExchange(s.http().port(),
                           "POST /v1/langid HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                           "d\r\n{\"text\": \"a\"}\r\n0\r\n\r\n", 5),
               Catch::StartsWith("HTTP/1.1 411") && Catch::Contains("Content-Length") &&
                   Catch::Contains("Connection: close"));
    CHECK_THAT(RawExchange(s.http().port(),
                           "POST /v1/langid HTTP/1.1\r\nHost: x\r\nContent-Length: 13\r\nContent-Length: 3\r\n\r\n"
                           "{\"text\": \"a\"}", 5),
               Catch::StartsWith("HTTP/1.1 400") && Catch::Contains("more than one Content-Length"));
    std::string flood = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 150; ++i) flood += "X-H" + std::to_string(i) + ": v\r\n";
    CHECK_THAT(RawExchange(s.http().port(), flood + "\r\n", 5),
               Catch::StartsWith("HTTP/1.1 431") && Catch::Contains("the limit is 100 headers"));
  }
  limits.timeout = std::chrono::milliseconds(-1);  // Every request is already late.
  TestServer late(limits);
  httplib::Client c = late.Client();
  CheckError(Post(c, "/v1/annotate", R"({"text": "The cat sat."})"), 503, "longer than the server's limit");
}

TEST_CASE("server: with an API key every route but health needs the bearer token", "[server][auth]") {
  server::ServerOptions options;
  options.api_key = "0123456789abcdef-secret";
  TestServer s({}, options);
  httplib::Client c = s.Client();
  CheckError(Post(c, "/v1/langid", R"({"text": "hello"})"), 401, "API key");
  CheckError(Post(c, "/v1/langid", R"({"text": "hello"})", {{"Authorization", "Bearer 0123456789abcdef-secreT"}}), 401,
             "API key");
  CheckError(Post(c, "/v1/langid", R"({"text": "hello"})", {{"Authorization", "Bearer 0123456789abcdef-secret2"}}),
             401, "API key");
  CheckError(Get(c, "/metrics"), 401, "API key");
  CheckError(Get(c, "/v1/models"), 401, "API key");
  CHECK(Get(c, "/healthz").status == 200);
  CHECK(Get(c, "/readyz").status == 200);
  const httplib::Headers key = {{"Authorization", "Bearer 0123456789abcdef-secret"}};
  CHECK(Post(c, "/v1/langid", R"({"text": "Dies ist ein Satz."})", key).body["language"] == "de");
  CHECK(Get(c, "/metrics", key).status == 200);
}

TEST_CASE("server: constant-time comparison is a plain equality", "[server][auth]") {
  using server::ConstantTimeEquals;
  CHECK(ConstantTimeEquals("Bearer abc", "Bearer abc"));
  CHECK_FALSE(ConstantTimeEquals("Bearer abd", "Bearer abc"));
  CHECK_FALSE(ConstantTimeEquals("Bearer ab", "Bearer abc"));
  CHECK_FALSE(ConstantTimeEquals("Bearer abcBearer abc", "Bearer abc"));
  CHECK_FALSE(ConstantTimeEquals("", "Bearer abc"));
  CHECK(ConstantTimeEquals("", ""));
}

TEST_CASE("server: many clients at once get the answers one client gets", "[server][threads]") {
  TestServer s;
  const std::vector<std::string> texts = {"Je vais au marché.", "The cat sat on the mat.", "Ich habe keine Zeit.",
                                          "北京大学的学生在图书馆看书。"};
  std::vector<std::string> expected;
  httplib::Client one = s.Client();
  for (const auto& t : texts) expected.push_back(Post(one, "/v1/annotate", json{{"text", t}}.dump()).raw);
  std::vector<int> failures(6, 0);
  std::vector<std::thread> clients;
  for (int k = 0; k < 6; ++k) {
    clients.emplace_back([&, k] {
      httplib::Client c = s.Client();
      for (int i = 0; i < 25; ++i) {
        const size_t t = (k + i) % texts.size();
        httplib::Result r = c.Post("/v1/annotate", json{{"text", texts[t]}}.dump(), "application/json");
        if (!r || r->status != 200 || r->body != expected[t]) ++failures[k];
      }
    });
  }
  for (auto& t : clients) t.join();
  for (int f : failures) CHECK(f == 0);
}

TEST_CASE("server: stopping lets a request in flight finish, then Run returns", "[server][threads]") {
  server::ApiLimits limits;
  limits.timeout = std::chrono::minutes(5);  // Sanitizer builds on a busy machine are slow.
  TestServer s(limits);
  // A batch that takes a while: 64 texts of a few KiB each.
  std::vector<std::string> texts(64, std::string(2000, 'x'));
  for (size_t i = 0; i < texts.size(); ++i) texts[i] = "Le chat dort sur le canapé depuis ce matin. " + texts[i];
  const std::string body = json{{"texts", texts}}.dump();
  int status = 0;
  std::string answer;
  // The readiness probe's request stays counted until its log line, just after its answer: wait it out, or the
  // probe is taken for the request in flight and the server stopped before the client connects.
  for (int i = 0; i < 2000 && s.http().requests_in_flight() != 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread client([&] {
    httplib::Client c = s.Client();
    if (httplib::Result r = c.Post("/v1/annotate", body, "application/json")) {
      status = r->status;
      answer = r->body;
    }
  });
  for (int i = 0; i < 2000 && s.http().requests_in_flight() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(s.http().requests_in_flight() > 0);
  s.Stop();  // Returns once the request in flight has been answered.
  client.join();
  CHECK(status == 200);
  CHECK(json::parse(answer, nullptr, false)["results"].size() == 64);
  CHECK(s.run_status().ok());
  CHECK_FALSE(s.http().ready());
}

TEST_CASE("server: slimnlp serve exits cleanly on SIGTERM and logs each request", "[server][cli]") {
  testing::TempDir dir;
  const std::string cli = testing::CliPath(), err = dir.File("err"), log = dir.File("access.log");
  std::vector<std::string> args = {cli, "serve", "--port", "0", "--models", testing::SourceDir() + "/models",
                                   "--access-log", log, "--drain-seconds", "1.5"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, cli.c_str(), &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  // "listening on http://127.0.0.1:PORT" once the models are loaded.
  int port = 0;
  for (int i = 0; i < 600 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::string e = testing::ReadFile(err);
    if (size_t at = e.find("http://127.0.0.1:"); at != std::string::npos) port = std::atoi(e.c_str() + at + 17);
  }
  REQUIRE(port > 0);
  httplib::Client c("127.0.0.1", port);
  httplib::Result r = c.Post("/v1/langid", R"({"text": "Dies ist ein Satz."})", "application/json");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(c.Get("/readyz")->status == 200);
  const auto signalled = std::chrono::steady_clock::now();
  REQUIRE(kill(pid, SIGTERM) == 0);
  // Draining: /readyz says 503 at once, while requests are still answered and the port stays open.
  int ready = 200;
  for (int i = 0; i < 100 && ready == 200; ++i) {
    httplib::Result probe = c.Get("/readyz");
    REQUIRE(probe);
    ready = probe->status;
    if (ready == 200) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(ready == 503);
  httplib::Result during = c.Post("/v1/langid", R"({"text": "Ceci est une phrase."})", "application/json");
  REQUIRE(during);
  CHECK(during->status == 200);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(std::chrono::steady_clock::now() - signalled >= std::chrono::milliseconds(1400));
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_THAT(testing::ReadFile(err), Catch::Contains("draining") && Catch::Contains("stopped"));
  CHECK_THAT(testing::ReadFile(log), Catch::Contains("\"POST /v1/langid\" 200"));
}

TEST_CASE("server: slimnlp serve --index DIR serves the shards its manifest names", "[server][cli][sharded]") {
  testing::TempDir dir;
  // Two shards in a directory with a manifest (as slimnlp.dask.build_index leaves it), and a stale third
  // shard that the manifest does not name: it must not be searched.
  const char* parts[][2] = {{"a", "Paris is the capital of France."}, {"b", "Berlin is the capital of Germany."},
                            {"stale", "Germany Germany Germany capital capital."}};
  std::filesystem::create_directory(dir.File("idx"));
  for (int s = 0; s < 3; ++s) {
    const std::string shard = dir.File("idx/shard-0000" + std::to_string(s) + ".index");
    testing::WriteFile(shard + ".jsonl", json{{"id", parts[s][0]}, {"text", parts[s][1]}}.dump() + "\n");
    IndexBuildOptions build;
    build.input_paths = {shard + ".jsonl"};
    build.output_path = shard;
    REQUIRE(BuildIndex(build).ok());
  }
  testing::WriteFile(dir.File("idx/shard.shards"), "shard-00000.index\nshard-00001.index\n");
  const std::string cli = testing::CliPath(), err = dir.File("err");
  std::vector<std::string> args = {cli, "serve", "--port", "0", "--models", testing::SourceDir() + "/models",
                                   "--index", dir.File("idx"), "--no-rerank", "--access-log", "none",
                                   "--drain-seconds", "0"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, cli.c_str(), &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  int port = 0;
  for (int i = 0; i < 600 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::string e = testing::ReadFile(err);
    if (size_t at = e.find("http://127.0.0.1:"); at != std::string::npos) port = std::atoi(e.c_str() + at + 17);
  }
  if (port == 0) kill(pid, SIGKILL);
  REQUIRE(port > 0);
  CHECK_THAT(testing::ReadFile(err), Catch::Contains("index of 2 documents in 2 shards"));
  httplib::Client c("127.0.0.1", port);
  const Reply r = Post(c, "/v1/search", R"({"query": "capital of Germany"})");
  const Reply models = Get(c, "/v1/models");
  REQUIRE(kill(pid, SIGTERM) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  REQUIRE(r.status == 200);
  REQUIRE(r.body["hits"].size() == 2);
  CHECK(r.body["hits"][0]["id"] == "b");
  CHECK(r.body["hits"][1]["id"] == "a");
  CHECK(models.body["index"] == json{{"documents", 2}, {"shards", 2}});
}

TEST_CASE("server: slimnlp serve refuses a public address without a key, and a short key", "[server][cli]") {
  testing::TempDir dir;
  const std::string out = dir.File("out");
  int status = std::system((testing::CliPath() + " serve --host 0.0.0.0 --port 0 2> " + out).c_str());
  CHECK(WEXITSTATUS(status) == 2);
  CHECK_THAT(testing::ReadFile(out), Catch::Contains("--api-key-file"));
  testing::WriteFile(dir.File("key"), "short\n");
  status = std::system((testing::CliPath() + " serve --port 0 --api-key-file " + dir.File("key") + " 2> " + out).c_str());
  CHECK(WEXITSTATUS(status) == 2);
  CHECK_THAT(testing::ReadFile(out), Catch::Contains("at least 16"));
}

TEST_CASE("server: a body sent as a form (curl -d) or any other type is read as JSON, whatever its size",
          "[server][bad_input]") {
  TestServer s;
  httplib::Client c = s.Client();
  const std::string body = "{\"text\": \"" + std::string(9000, 'a') + " Das ist ein Satz auf Deutsch.\"}";
  for (const char* type : {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"}) {
    INFO(type);
    httplib::Result r = c.Post("/v1/langid", body, type);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(json::parse(r->body, nullptr, false).contains("language"));
  }
  httplib::Result r = c.Post("/v1/langid", "text=hello", "application/x-www-form-urlencoded");
  REQUIRE(r);
  CheckError({r->status, json::parse(r->body, nullptr, false), r->body}, 400, "not valid JSON");
}

TEST_CASE("server: a known route asked with another method gets 405 and Allow", "[server][bad_input]") {
  TestServer s;
  httplib::Client c = s.Client();
  const auto check = [](const httplib::Result& r, const std::string& allow) {
    REQUIRE(r);
    CHECK(r->status == 405);
    CHECK(r->get_header_value("Allow") == allow);
    CHECK(json::parse(r->body, nullptr, false)["error"]["status"] == 405);
  };
  check(c.Post("/healthz"), "GET");  // No body, no Content-Length: was a 400.
  check(c.Post("/healthz", "{}", "application/json"), "GET");
  check(c.Put("/readyz", "{}", "application/json"), "GET");
  check(c.Delete("/v1/langid"), "POST");
  check(c.Put("/v1/annotate", "{}", "application/json"), "POST");
  check(c.Get("/v1/search"), "POST");
  CheckError(Get(c, "/v1/nothing"), 404, "no route GET /v1/nothing");
  CHECK(c.Head("/healthz")->status == 200);
}

TEST_CASE("server: a forced language is resolved as BCP-47, refused when unknown, and reported as given",
          "[server]") {
  TestServer s;
  httplib::Client c = s.Client();
  for (const char* path : {"/v1/segment", "/v1/tag", "/v1/annotate"}) {
    INFO(path);
    CheckError(Post(c, path, R"({"text": "hello there my friend", "language": "xx-bogus"})"), 400,
               "unknown language 'xx-bogus'");
    CheckError(Post(c, path, R"({"text": "hello", "language": "en us"})"), 400, "not a language tag");
  }
  Reply r = Post(c, "/v1/annotate", R"({"text": "The cat sat on the mat.", "language": "EN"})");
  REQUIRE(r.status == 200);
  CHECK(r.body["language"] == "en");
  CHECK(r.body["language_source"] == "given");
  CHECK_FALSE(r.body.contains("probability"));
  CHECK_FALSE(r.body.contains("reliable"));
  CHECK(r.body["tagged"] == true);
  r = Post(c, "/v1/annotate", R"({"text": "The cat sat on the mat."})");
  CHECK(r.body["language_source"] == "identified");
  CHECK(r.body["probability"].get<double>() > 0.5);
  r = Post(c, "/v1/segment", R"({"text": "然而，這樣的處理也衍生了一些問題。", "language": "zh-Hant"})");
  REQUIRE(r.status == 200);
  CHECK(r.body["segmenter"] == "model");
  CHECK(r.body["tokens"][0]["text"] == "然而");
  r = Post(c, "/v1/tag", R"({"tokens": ["The", "cat"], "language": "en-GB"})");
  REQUIRE(r.status == 200);
  CHECK(r.body["tokens"][1]["upos"] == "NOUN");
}

TEST_CASE("server: draining answers /readyz 503 and still serves requests", "[server]") {
  TestServer s;
  httplib::Client c = s.Client();
  CHECK(Get(c, "/readyz").status == 200);
  s.http().Drain();
  CheckError(Get(c, "/readyz"), 503, "draining");
  CHECK(Post(c, "/v1/langid", R"({"text": "Dies ist ein Satz."})").status == 200);
  CHECK(Get(c, "/healthz").status == 200);
}

TEST_CASE("server: a port already in use is refused with 'address in use', by the library and the CLI",
          "[server][cli]") {
  TestServer first;
  server::ApiLimits limits;
  const server::Api api(testing::ShippedPipeline(), nullptr, nullptr, limits);
  server::ServerOptions options;
  options.port = first.http().port();
  server::HttpServer second(api, options);
  const absl::Status bound = second.Bind();
  CHECK(absl::IsUnavailable(bound));
  CHECK_THAT(std::string(bound.message()), Catch::Contains("address in use"));

  testing::TempDir dir;
  const int status = std::system((testing::CliPath() + " serve --models " + testing::SourceDir() + "/models --port " +
                                  std::to_string(first.http().port()) + " 2> " + dir.File("err"))
                                     .c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  CHECK_THAT(testing::ReadFile(dir.File("err")), Catch::Contains("address in use"));
  // The first server still answers every request itself.
  httplib::Client c = first.Client();
  CHECK(Get(c, "/healthz").status == 200);
}

TEST_CASE("server: /openapi.json matches the routes the server answers and the fields each endpoint takes",
          "[server]") {
  TestServer s;
  httplib::Client c = s.Client();
  const Reply doc = Get(c, "/openapi.json");
  REQUIRE(doc.status == 200);
  REQUIRE(doc.body.is_object());
  CHECK(doc.body["openapi"].get<std::string>().rfind("3.", 0) == 0);
  const json& paths = doc.body["paths"];
  CHECK(paths.size() == server::kRouteTable.size());
  for (const server::Route& route : server::kRouteTable) {
    const std::string path(route.path), method(route.method);
    INFO(method << " " << path);
    REQUIRE(paths.contains(path));
    std::string lower = method;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(ch));
    CHECK(paths[path].contains(lower));
    CHECK(paths[path].size() == 1);
    if (method == "GET") {
      const int status = Get(c, path).status;
      CHECK(status == 200);
      continue;
    }
    // The server names the fields it takes when given an unknown one: they must be the document's.
    const Reply r = Post(c, path, R"({"no_such_field": 1})");
    if (path == "/v1/search") {  // No index here: the route exists, and says so.
      CHECK(r.status == 404);
      CHECK_THAT(r.raw, Catch::Contains("no index"));
      continue;
    }
    REQUIRE(r.status == 400);
    const std::string message = r.body["error"]["message"];
    const std::string listed = message.substr(message.find("takes: ") + 7);
    std::set<std::string> taken;
    for (size_t at = 0; at < listed.size();) {
      const size_t comma = listed.find(", ", at);
      taken.insert(listed.substr(at, comma - at));
      at = comma == std::string::npos ? listed.size() : comma + 2;
    }
    std::set<std::string> documented;
    for (const auto& [field, schema] : paths[path]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"].items()) {
      documented.insert(field);
    }
    CHECK(taken == documented);
  }
  // And no other route answers: a path missing from the table is a 404.
  CHECK(Get(c, "/v2/langid").status == 404);
}

TEST_CASE("server: /metrics has the build and the process", "[server]") {
  TestServer s;
  httplib::Client c = s.Client();
  const std::string metrics = Get(c, "/metrics").raw;
  CHECK_THAT(metrics, Catch::Contains("slimnlp_build_info{version=\"" SLIMNLP_VERSION_STRING "\""));
  for (const char* name : {"process_cpu_seconds_total ", "process_resident_memory_bytes ", "process_open_fds ",
                           "process_start_time_seconds ", "process_virtual_memory_bytes ", "process_max_fds "}) {
    INFO(name);
    const size_t at = metrics.find(std::string("\n") + name);
    REQUIRE(at != std::string::npos);
    CHECK(std::stod(metrics.substr(at + 1 + std::strlen(name))) > 0);
  }
  const size_t rss = metrics.find("\nprocess_resident_memory_bytes ");
  CHECK(std::stod(metrics.substr(rss + 31)) > 1e6);  // The models alone are megabytes.
}

// A burst of connections while every pool thread is busy (here: before the server accepts at all) must be
// completed and queued by the kernel, not dropped: with cpp-httplib's backlog of 5, 495 of 500 clients that
// came at once waited out SYN retransmissions, up to 28 s (bench/many_connections.py).
TEST_CASE("server: a burst of 300 connections is queued by the kernel before the server accepts any",
          "[server]") {
  const server::Api api(testing::ShippedPipeline(), nullptr, nullptr, {});
  server::ServerOptions options;
  options.port = 0;
  options.access_log = nullptr;
  server::HttpServer http(api, options);
  REQUIRE(http.Bind().ok());  // Listening, never Run: nothing is accepted.
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(http.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<pollfd> fds;
  for (int i = 0; i < 300; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    REQUIRE(fd >= 0);
    const int r = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    REQUIRE((r == 0 || errno == EINPROGRESS));
    fds.push_back({fd, POLLOUT, 0});
  }
  // A completed handshake makes the socket writable at once; a dropped SYN is retried only after 1 s.
  size_t connected = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(900);
  while (connected < fds.size() && std::chrono::steady_clock::now() < deadline) {
    (void)poll(fds.data(), fds.size(), 100);
    connected = 0;
    for (const pollfd& p : fds) {
      int error = 0;
      socklen_t len = sizeof(error);
      if ((p.revents & POLLOUT) && getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0) {
        ++connected;
      }
    }
  }
  for (const pollfd& p : fds) close(p.fd);
  CHECK(connected == fds.size());
}

// An idle keep-alive connection holds a pool thread, so the server closes it after keep_alive_seconds.
TEST_CASE("server: an idle keep-alive connection is closed after keep_alive_seconds", "[server]") {
  server::ServerOptions options;
  options.keep_alive_seconds = 1;
  TestServer s({}, options);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(s.http().port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  REQUIRE(send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  std::string reply;
  char buf[4096];
  ssize_t n = 0;
  auto answered = std::chrono::steady_clock::now();
  // Read the answer, then wait for the end of the connection.
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
    if (reply.empty()) answered = std::chrono::steady_clock::now();
    reply.append(buf, static_cast<size_t>(n));
  }
  const double idle = std::chrono::duration<double>(std::chrono::steady_clock::now() - answered).count();
  close(fd);
  CHECK(reply.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(n == 0);  // Closed by the server, not our 10 s receive timeout.
  CHECK(idle >= 0.5);
  CHECK(idle < 5);
}
