// `slimnlp serve`: the HTTP microservice (src/server) with the shipped models.
#include <csignal>
#include <fstream>
#include <pthread.h>
#include <sstream>
#include <thread>

#include "absl/strings/str_format.h"
#include "src/cli/cli_common.h"
#include "src/server/http_server.h"

namespace slimnlp::cli {
namespace {

struct ServeArgs {
  server::ServerOptions http;
  server::ApiLimits limits;
  std::string models_dir, index, rerank, api_key_file, access_log = "-", max_body = "8MiB";
  bool no_rerank = false, allow_remote = false;
  bool index_given = false;  // --index '' is an error, not a server without an index.
  int64_t timeout_ms = 10000;
  double drain_seconds = 5;
};

absl::StatusOr<std::string> ReadApiKey(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrFormat("cannot read the API key file '%s'", path));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string key = ss.str();
  while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.pop_back();
  if (key.size() < 16) {
    return absl::InvalidArgumentError(
        absl::StrFormat("the API key in '%s' is %d characters; use at least 16 (e.g. openssl rand -hex 32)", path,
                        key.size()));
  }
  return key;
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "slimnlp serve: %s\n", std::string(s.message()).c_str());
  return 2;
}

int RunServe(ServeArgs args) {
  // Signals are taken by one thread with sigwait; every thread started from here on inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // A client that hangs up must not end the server.

  args.http.max_body_bytes = ParseSize(args.max_body);
  if (args.http.max_body_bytes == 0) return Fail(absl::InvalidArgumentError("--max-body: give a size like 8MiB"));
  args.limits.timeout = std::chrono::milliseconds(args.timeout_ms);
  if (!args.api_key_file.empty()) {
    absl::StatusOr<std::string> key = ReadApiKey(args.api_key_file);
    if (!key.ok()) return Fail(key.status());
    args.http.api_key = *key;
  }
  const bool loopback = args.http.host == "127.0.0.1" || args.http.host == "::1" || args.http.host == "localhost";
  if (!loopback && args.http.api_key.empty() && !args.allow_remote) {
    return Fail(absl::InvalidArgumentError(absl::StrFormat(
        "--host %s serves beyond this machine without authentication: give --api-key-file, or "
        "--allow-unauthenticated to do it anyway",
        args.http.host)));
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> log_file(nullptr, std::fclose);
  if (args.access_log == "none") {
    args.http.access_log = nullptr;
  } else if (args.access_log != "-") {
    log_file.reset(std::fopen(args.access_log.c_str(), "a"));
    if (!log_file) return Fail(absl::NotFoundError(absl::StrFormat("cannot open --access-log '%s'", args.access_log)));
    args.http.access_log = log_file.get();
  }

  PipelineOptions options;
  options.models_dir = args.models_dir;
  if (options.models_dir.empty()) options.models_dir = DefaultModelsDir();
  options.preload = true;  // Every model loaded before the first request, then shared read-only.
  // The index first: a wrongly named shard is reported before the seconds the models take to load.
  std::unique_ptr<ShardedIndex> index;
  std::unique_ptr<Reranker> reranker;
  if (args.index_given) {
    absl::StatusOr<std::unique_ptr<ShardedIndex>> i = OpenIndexNamed(args.index);
    if (!i.ok()) return Fail(i.status());
    index = *std::move(i);
    std::string rerank = args.rerank;
    if (rerank.empty() && !args.no_rerank && FileExists(options.models_dir + "/rerank.slim")) {
      rerank = options.models_dir + "/rerank.slim";
    }
    if (!rerank.empty() && !args.no_rerank) {
      absl::StatusOr<std::unique_ptr<Reranker>> r = Reranker::Load(rerank);
      if (!r.ok()) return Fail(r.status());
      reranker = *std::move(r);
    }
  }
  absl::StatusOr<std::unique_ptr<Pipeline>> pipeline = Pipeline::Load(options);
  if (!pipeline.ok()) return Fail(pipeline.status());
  const server::Api api(**pipeline, index.get(), reranker.get(), args.limits);
  server::HttpServer http(api, args.http);
  if (absl::Status s = http.Bind(); !s.ok()) return Fail(s);

  std::atomic<bool> done{false};
  std::thread signal_thread([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (done) return;
    // SIGTERM (an orchestrator): /readyz answers 503 for --drain-seconds while requests are still served, so that
    // load balancers stop sending before the port closes. Ctrl-C, or a second signal, skips the wait.
    if (sig == SIGTERM && args.drain_seconds > 0) {
      http.Drain();
      std::fprintf(stderr, "slimnlp serve: SIGTERM: draining for %g s (/readyz answers 503), then exiting\n",
                   args.drain_seconds);
      timespec wait{static_cast<time_t>(args.drain_seconds),
                    static_cast<long>((args.drain_seconds - static_cast<time_t>(args.drain_seconds)) * 1e9)};
      int again = sigtimedwait(&signals, nullptr, &wait);
      if (done) return;
      if (again > 0) sig = again;
    }
    std::fprintf(stderr, "slimnlp serve: %s: finishing the requests in flight, then exiting\n",
                 sig == SIGTERM ? "SIGTERM" : "SIGINT");
    // Stop until Run has returned: a stop just before the listening loop starts would be missed.
    while (!done) {
      http.Stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::string index_note;
  if (index) index_note = absl::StrFormat(", index of %d documents", index->size());
  if (index && index->shards() > 1) index_note += absl::StrFormat(" in %d shards", index->shards());
  std::fprintf(stderr, "slimnlp serve: listening on http://%s:%d (%zu languages from %s%s%s)\n",
               args.http.host.c_str(), http.port(), (*pipeline)->languages().size(), options.models_dir.c_str(),
               index_note.c_str(),
               args.http.api_key.empty() ? "" : ", API key required");
  const absl::Status run = http.Run();
  done = true;
  pthread_kill(signal_thread.native_handle(), SIGTERM);  // Wakes sigwait if no signal came.
  signal_thread.join();
  if (!run.ok()) return Fail(run);
  std::fprintf(stderr, "slimnlp serve: stopped\n");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* s = app.add_subcommand(
      "serve",
      "The HTTP microservice: JSON over HTTP/1.1 with every shipped model loaded once and shared.\n"
      "  POST /v1/langid   {\"text\": \"...\"} or {\"texts\": [...]}, optional \"top_k\"\n"
      "  POST /v1/segment  {\"text\"|\"texts\", optional \"language\"}     tokens with byte offsets\n"
      "  POST /v1/tag      {\"text\"|\"texts\"|\"tokens\", \"language\"}      UPOS tags\n"
      "  POST /v1/annotate {\"text\"|\"texts\"}                             language, tokens, tags\n"
      "  POST /v1/search   {\"query\"|\"queries\", \"k\", \"rerank\", \"snippet\"}   with --index\n"
      "  GET  /v1/models  /healthz  /readyz  /metrics (Prometheus)\n"
      "  GET  /openapi.json (this API as OpenAPI 3.0)\n"
      "Errors are JSON {\"error\": {\"status\", \"message\"}}. SIGTERM drains (/readyz 503 for --drain-seconds),\n"
      "then stops; Ctrl-C stops at once. Both finish the requests in flight. Guide: docs/server.md.\n"
      "\nExamples:\n"
      "  slimnlp serve --port 8080\n"
      "  curl -s localhost:8080/v1/annotate -d '{\"text\": \"Je vais au marché.\"}'\n"
      "  slimnlp serve --host 0.0.0.0 --api-key-file key.txt --index wiki.index\n"
      "  slimnlp serve --index /shared/index      (shards of slimnlp.dask.build_index, searched as one)\n");
  s->add_option("--host", args->http.host, "Address to listen on (127.0.0.1: this machine only)")->capture_default_str();
  s->add_option("--port", args->http.port, "Port (0: any free port, printed at start)")->capture_default_str();
  s->add_option("--models", args->models_dir, "Directory of langid.slim, seg-*.slim, pos-*.slim (default: the shipped models)");
  CLI::Option* index = s->add_option("--index", args->index, std::string("Index for /v1/search: ") + kIndexOptionHelp);
  s->add_option("--rerank", args->rerank, "Reranker for /v1/search (default: rerank.slim in --models, if there)");
  s->add_flag("--no-rerank", args->no_rerank, "Search with the first stage alone");
  s->add_option("--threads", args->http.threads, "Connections served at once (default: max(64, 8 x cores))");
  s->add_option("--api-key-file", args->api_key_file,
                "File holding a key of 16+ characters; requests then need 'Authorization: Bearer <key>'\n"
                "(except /healthz and /readyz)");
  s->add_flag("--allow-unauthenticated", args->allow_remote, "Allow a non-loopback --host without --api-key-file");
  s->add_option("--max-body", args->max_body, "Largest request body (413 past it)")->capture_default_str();
  s->add_option("--max-batch", args->limits.max_batch, "Most texts or queries in one request (413 past it)")
      ->capture_default_str();
  s->add_option("--max-text-bytes", args->limits.max_text_bytes, "Longest text or query, in bytes (413 past it)")
      ->capture_default_str();
  s->add_option("--timeout-ms", args->timeout_ms, "Work on one request stops past this (503)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  s->add_option("--read-timeout", args->http.read_timeout_seconds, "Seconds a client may take to send a request")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  s->add_option("--drain-seconds", args->drain_seconds,
                "On SIGTERM, seconds /readyz answers 503 while requests are still served, before the port closes")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  s->add_option("--access-log", args->access_log, "One line per request: a file, '-' for stderr, or 'none'")
      ->capture_default_str();
  s->callback([args, index, exit_code] {
    args->index_given = index->count() > 0;
    *exit_code = RunServe(*args);
  });
}

}  // namespace slimnlp::cli
