#include "src/server/api.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "slimnlp/model_info.h"
#include "src/cli/words_conllu.h"

namespace slimnlp::server {
namespace {

using nlohmann::json;

// Invalid UTF-8 cannot reach a dump (every string came through the JSON parser or the models), but a dump
// must never throw: replace rather than fail.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

int HttpStatus(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kInvalidArgument: return 400;
    case absl::StatusCode::kNotFound: return 404;
    case absl::StatusCode::kResourceExhausted: return 413;
    case absl::StatusCode::kDeadlineExceeded: return 503;
    default: return 500;
  }
}

class Deadline {
 public:
  explicit Deadline(std::chrono::milliseconds timeout)
      : timeout_(timeout), at_(std::chrono::steady_clock::now() + timeout) {}
  absl::Status Check() const {
    if (std::chrono::steady_clock::now() <= at_) return absl::OkStatus();
    return absl::DeadlineExceededError(
        absl::StrCat("the request took longer than the server's limit of ", timeout_.count(), " ms; send fewer texts"));
  }

 private:
  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point at_;
};

absl::StatusOr<json> ParseObject(std::string_view body) {
  // nlohmann reports some errors (a number too large for a double: out_of_range) by throwing even with
  // allow_exceptions off; its messages say where and what (e.g. "ill-formed UTF-8 byte").
  // nlohmann takes a NUL byte for the end of its input, which would drop whatever follows unseen.
  if (const size_t nul = body.find('\0'); nul != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("the body is not valid JSON: a NUL byte at offset ", nul));
  }
  json j;
  try {
    j = json::parse(body.begin(), body.end());
  } catch (const json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("the body is not valid JSON: ", e.what()));
  }
  if (!j.is_object()) return absl::InvalidArgumentError("the body must be a JSON object, e.g. {\"text\": \"...\"}");
  return j;
}

absl::Status CheckFields(const json& j, std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view(key)) == allowed.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown field '", key, "'; this endpoint takes: ", absl::StrJoin(allowed, ", ")));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckText(const std::string& field, const json& v, const ApiLimits& limits) {
  if (!v.is_string()) return absl::InvalidArgumentError(absl::StrCat("'", field, "' must be a string"));
  if (v.get_ref<const std::string&>().size() > limits.max_text_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat("'", field, "' is ", v.get_ref<const std::string&>().size(),
                                                     " bytes, over the limit of ", limits.max_text_bytes));
  }
  return absl::OkStatus();
}

// The inputs of a request: `one` (a string) or `many` (an array of strings), exactly one of them.
struct Inputs {
  std::vector<const json*> items;
  bool batch = false;
};

absl::StatusOr<Inputs> GetInputs(const json& j, const char* one, const char* many, const ApiLimits& limits) {
  const bool has_one = j.contains(one), has_many = j.contains(many);
  if (has_one == has_many) {
    return absl::InvalidArgumentError(absl::StrCat("give either '", one, "' (a string) or '", many,
                                                   "' (an array of strings)", has_one ? ", not both" : ""));
  }
  Inputs in;
  if (has_one) {
    if (absl::Status s = CheckText(one, j[one], limits); !s.ok()) return s;
    in.items.push_back(&j[one]);
    return in;
  }
  const json& a = j[many];
  if (!a.is_array()) return absl::InvalidArgumentError(absl::StrCat("'", many, "' must be an array of strings"));
  if (a.size() > limits.max_batch) {
    return absl::ResourceExhaustedError(absl::StrCat("'", many, "' has ", a.size(), " items, over the limit of ",
                                                     limits.max_batch, " per request"));
  }
  in.batch = true;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::Status s = CheckText(absl::StrCat(many, "[", i, "]"), a[i], limits); !s.ok()) return s;
    in.items.push_back(&a[i]);
  }
  return in;
}

absl::StatusOr<int64_t> OptionalInt(const json& j, const char* field, int64_t low, int64_t high, int64_t fallback) {
  if (!j.contains(field)) return fallback;
  const json& v = j[field];
  if (!v.is_number_integer() || v.get<int64_t>() < low || v.get<int64_t>() > high) {
    return absl::InvalidArgumentError(absl::StrCat("'", field, "' must be an integer from ", low, " to ", high));
  }
  return v.get<int64_t>();
}

absl::StatusOr<bool> OptionalBool(const json& j, const char* field, bool fallback) {
  if (!j.contains(field)) return fallback;
  if (!j[field].is_boolean()) return absl::InvalidArgumentError(absl::StrCat("'", field, "' must be true or false"));
  return j[field].get<bool>();
}

absl::StatusOr<std::string> OptionalString(const json& j, const char* field) {
  if (!j.contains(field)) return std::string();
  if (!j[field].is_string() || j[field].get_ref<const std::string&>().empty()) {
    return absl::InvalidArgumentError(absl::StrCat("'", field, "' must be a non-empty string"));
  }
  return j[field].get<std::string>();
}

// "language", if given, as the pipeline knows it ("EN" -> "en", "zh-hant" -> "zh-Hant"); "" if absent. 400
// naming it when neither the identifier nor a model knows it.
absl::StatusOr<std::string> OptionalLanguage(const json& j, const Pipeline& pipeline) {
  absl::StatusOr<std::string> given = OptionalString(j, "language");
  if (!given.ok() || given->empty()) return given;
  return pipeline.ResolveLanguage(*given);
}

json TokensJson(std::string_view text, const std::vector<Word>& words, bool tags) {
  json tokens = json::array();
  for (const Word& w : words) {
    json t = {{"text", w.form}, {"begin", w.span.begin}, {"end", w.span.end}};
    if (tags) t["upos"] = w.upos;
    // A word of a multiword token: the token as written ("au" for "à" + "le").
    if (w.token_words != 1) t["token"] = text.substr(w.span.begin, w.span.end - w.span.begin);
    tokens.push_back(std::move(t));
  }
  return tokens;
}

// Runs `one` on each input, checking the deadline between them; one result or {"results": [...]}.
ApiResponse Each(const Inputs& in, const Deadline& deadline,
                 const std::function<absl::StatusOr<json>(const std::string&)>& one) {
  json results = json::array();
  for (const json* item : in.items) {
    if (absl::Status s = deadline.Check(); !s.ok()) return ErrorResponse(s);
    absl::StatusOr<json> r = one(item->get_ref<const std::string&>());
    if (!r.ok()) return ErrorResponse(r.status());
    if (!in.batch) return {200, Dump(*r)};
    results.push_back(*std::move(r));
  }
  return {200, Dump(json{{"results", std::move(results)}})};
}

std::string ModelsJson(const Pipeline& pipeline, const ShardedIndex* index) {
  json models = json::array();
  for (const std::string& path : pipeline.model_paths()) {
    absl::StatusOr<ModelInfo> info = InspectModel(path);
    if (!info.ok()) continue;  // Reported when the pipeline loads it.
    json m = {{"name", std::filesystem::path(path).stem().string()},
              {"task", info->task},
              {"file_bytes", info->file_bytes},
              {"memory_bytes", info->memory_bytes},
              {"budget_bytes", info->budget_bytes},
              {"labels", info->labels.size()}};
    // The language a pipeline model serves is in its name (pos-en, seg-zh); older models do not record it.
    const std::string name = m["name"];
    if (name.size() > 4 && name[3] == '-') m["language"] = name.substr(4);
    if (info->task == "langid") m["languages"] = info->labels;
    models.push_back(std::move(m));
  }
  json j = {{"models", std::move(models)}, {"languages", pipeline.languages()}};
  if (index != nullptr) j["index"] = {{"documents", index->size()}, {"shards", index->shards()}};
  return Dump(j);
}

}  // namespace

ApiResponse ErrorResponse(int status, std::string_view message) {
  return {status, Dump(json{{"error", {{"status", status}, {"message", message}}}})};
}

ApiResponse ErrorResponse(const absl::Status& status) {
  return ErrorResponse(HttpStatus(status), std::string_view(status.message().data(), status.message().size()));
}

Api::Api(const Pipeline& pipeline, const ShardedIndex* index, const Reranker* reranker, const ApiLimits& limits)
    : pipeline_(pipeline), index_(index), reranker_(reranker), limits_(limits),
      models_json_(ModelsJson(pipeline, index)) {}

ApiResponse Api::Handle(Endpoint endpoint, std::string_view body) const {
  const Deadline deadline(limits_.timeout);
  absl::StatusOr<json> request = ParseObject(body);
  if (!request.ok()) return ErrorResponse(request.status());
  const json& j = *request;

  switch (endpoint) {
    case Endpoint::kLangid: {
      if (absl::Status s = CheckFields(j, {"text", "texts", "top_k"}); !s.ok()) return ErrorResponse(s);
      absl::StatusOr<Inputs> in = GetInputs(j, "text", "texts", limits_);
      if (!in.ok()) return ErrorResponse(in.status());
      absl::StatusOr<int64_t> top_k = OptionalInt(j, "top_k", 1, 20, 1);
      if (!top_k.ok()) return ErrorResponse(top_k.status());
      const LanguageIdentifier& lid = pipeline_.identifier();
      return Each(*in, deadline, [&](const std::string& text) -> absl::StatusOr<json> {
        absl::StatusOr<LanguageGuess> g = lid.Identify(text);
        if (!g.ok()) return g.status();
        json r = {{"language", g->language}, {"probability", g->probability}, {"reliable", g->reliable}};
        if (*top_k > 1) {
          std::vector<LanguageGuess> top;
          if (absl::Status s = lid.IdentifyTopK(text, static_cast<int>(*top_k), &top); !s.ok()) return s;
          json a = json::array();
          for (const LanguageGuess& t : top) a.push_back({{"language", t.language}, {"probability", t.probability}});
          r["top"] = std::move(a);
        }
        return r;
      });
    }

    case Endpoint::kSegment: {
      if (absl::Status s = CheckFields(j, {"text", "texts", "language"}); !s.ok()) return ErrorResponse(s);
      absl::StatusOr<Inputs> in = GetInputs(j, "text", "texts", limits_);
      if (!in.ok()) return ErrorResponse(in.status());
      absl::StatusOr<std::string> language = OptionalLanguage(j, pipeline_);
      if (!language.ok()) return ErrorResponse(language.status());
      return Each(*in, deadline, [&](const std::string& text) -> absl::StatusOr<json> {
        std::string label = *language;
        if (label.empty()) {
          absl::StatusOr<LanguageGuess> g = pipeline_.identifier().Identify(text);
          if (!g.ok()) return g.status();
          label = std::string(g->language);
        }
        absl::StatusOr<const Segmenter*> segmenter = pipeline_.segmenter(label);
        if (!segmenter.ok()) return segmenter.status();
        absl::StatusOr<const SentenceSplitter*> splitter = pipeline_.sentence_splitter(label);
        if (!splitter.ok()) return splitter.status();
        // Each sentence segmented on its own, as `slimnlp segment` does.
        std::vector<TextSpan> spans;
        SegmentSentences(*splitter, *segmenter, text, &spans);
        json tokens = json::array();
        for (const TextSpan& s : spans) {
          tokens.push_back({{"text", text.substr(s.begin, s.end - s.begin)}, {"begin", s.begin}, {"end", s.end}});
        }
        return json{{"language", label}, {"segmenter", *segmenter ? "model" : "simple"}, {"tokens", std::move(tokens)}};
      });
    }

    case Endpoint::kTag:
    case Endpoint::kAnnotate: {
      const bool tag = endpoint == Endpoint::kTag;
      if (absl::Status s = tag ? CheckFields(j, {"text", "texts", "tokens", "language"})
                               : CheckFields(j, {"text", "texts", "language"});
          !s.ok()) {
        return ErrorResponse(s);
      }
      absl::StatusOr<std::string> language = OptionalLanguage(j, pipeline_);
      if (!language.ok()) return ErrorResponse(language.status());
      if (tag && !language->empty()) {
        absl::StatusOr<const Tagger*> tagger = pipeline_.tagger(*language);
        if (!tagger.ok()) return ErrorResponse(tagger.status());
        if (*tagger == nullptr) {
          return ErrorResponse(400, absl::StrCat("no tagger for language '", *language, "'; languages with models: ",
                                                 absl::StrJoin(pipeline_.languages(), ", ")));
        }
      }
      if (tag && j.contains("tokens")) {  // Tokens given: tagged as they are.
        if (j.contains("text") || j.contains("texts")) return ErrorResponse(400, "give 'tokens' or 'text'/'texts', not both");
        if (language->empty()) return ErrorResponse(400, "'tokens' needs 'language' (e.g. \"en\")");
        if (!j["tokens"].is_array() || j["tokens"].empty()) {
          return ErrorResponse(400, "'tokens' must be a non-empty array of strings");
        }
        std::vector<Word> words;
        size_t bytes = 0;
        for (const json& t : j["tokens"]) {
          if (!t.is_string()) return ErrorResponse(400, "'tokens' must be a non-empty array of strings");
          bytes += t.get_ref<const std::string&>().size();
          words.push_back({t.get<std::string>()});
        }
        if (bytes > limits_.max_text_bytes) {
          return ErrorResponse(413, absl::StrCat("'tokens' hold ", bytes, " bytes, over the limit of ", limits_.max_text_bytes));
        }
        if (absl::Status s = TagWords(**pipeline_.tagger(*language), &words); !s.ok()) return ErrorResponse(s);
        json tokens = json::array();
        for (const Word& w : words) tokens.push_back({{"text", w.form}, {"upos", w.upos}});
        return {200, Dump(json{{"language", *language}, {"tokens", std::move(tokens)}})};
      }
      absl::StatusOr<Inputs> in = GetInputs(j, "text", "texts", limits_);
      if (!in.ok()) return ErrorResponse(in.status());
      return Each(*in, deadline, [&](const std::string& text) -> absl::StatusOr<json> {
        absl::StatusOr<Annotation> a = language->empty() ? pipeline_.Annotate(text) : pipeline_.AnnotateAs(text, *language);
        if (!a.ok()) return a.status();
        json r = {{"language", a->language}};
        if (!tag) {
          // A language given in the request was not measured: no probability or reliability to report.
          r["language_source"] = a->identified ? "identified" : "given";
          if (a->identified) {
            r["probability"] = a->probability;
            r["reliable"] = a->reliable;
          }
        }
        r["tagged"] = a->tagged;
        if (!tag) {
          r["split"] = a->split;
          r["sentences"] = cli::SentencesJson(*a);
        }
        r["tokens"] = TokensJson(text, a->words, /*tags=*/true);
        return r;
      });
    }

    case Endpoint::kSearch: {
      if (index_ == nullptr) return ErrorResponse(404, "this server has no index: start it with --index (a file, a directory of shards or a manifest)");
      if (absl::Status s = CheckFields(j, {"query", "queries", "k", "rerank", "snippet", "scoring"}); !s.ok()) {
        return ErrorResponse(s);
      }
      absl::StatusOr<Inputs> in = GetInputs(j, "query", "queries", limits_);
      if (!in.ok()) return ErrorResponse(in.status());
      absl::StatusOr<int64_t> k = OptionalInt(j, "k", 1, 100, 10);
      if (!k.ok()) return ErrorResponse(k.status());
      absl::StatusOr<bool> rerank = OptionalBool(j, "rerank", reranker_ != nullptr);
      if (!rerank.ok()) return ErrorResponse(rerank.status());
      if (*rerank && reranker_ == nullptr) return ErrorResponse(400, "this server has no reranker: start it with --rerank FILE");
      absl::StatusOr<bool> snippet = OptionalBool(j, "snippet", true);
      if (!snippet.ok()) return ErrorResponse(snippet.status());
      SearchOptions options;
      options.k = static_cast<size_t>(*k);
      if (j.contains("scoring")) {
        if (j["scoring"] == "tfidf") options.scoring = SearchOptions::Scoring::kTfIdf;
        else if (j["scoring"] != "bm25") return ErrorResponse(400, "'scoring' must be \"bm25\" or \"tfidf\"");
      }
      if (*rerank) options.k = std::max<size_t>(options.k, 20);  // The reranker picks from the first 20.
      return Each(*in, deadline, [&](const std::string& query) -> absl::StatusOr<json> {
        std::vector<SearchHit> hits;
        index_->Search(query, options, &hits);
        if (*rerank) {
          if (absl::Status s = reranker_->Rerank(*index_, query, &hits); !s.ok()) return s;
        }
        if (hits.size() > static_cast<size_t>(*k)) hits.resize(*k);
        json a = json::array();
        for (size_t i = 0; i < hits.size(); ++i) {
          absl::StatusOr<Document> d = index_->GetDocument(hits[i].doc);
          if (!d.ok()) return d.status();
          json h = {{"rank", i + 1}, {"id", d->id}, {"title", d->title}, {"score", hits[i].score}};
          if (*snippet) h["snippet"] = Snippet(d->text, query);
          a.push_back(std::move(h));
        }
        return json{{"hits", std::move(a)}};
      });
    }
  }
  return ErrorResponse(404, "no such endpoint");
}

}  // namespace slimnlp::server
