#include "src/core/trainer.h"

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/core/text.h"

namespace slimnlp::core {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXf;

constexpr float kBeta1 = 0.9f;
constexpr float kBeta2 = 0.999f;
constexpr float kEpsilon = 1e-8f;

// An embedding table in training: weights plus Adam moments, and the rows the current batch touched.
struct FloatTable {
  uint32_t rows = 0;
  int cols = 0;
  std::vector<float> w, m, v, grad;
  std::vector<uint8_t> is_touched;
  std::vector<uint32_t> touched;
  // Exponential moving average of w, kept lazily: a row's average is brought up to date only when the row
  // changes (or at CatchUp), which is exact because w is constant in between: after k unchanged steps,
  // ema = w + (ema - w) * decay^k.
  std::vector<float> ema;
  std::vector<uint64_t> ema_step;

  FloatTable(uint32_t r, int c, float init, Rng* rng) : rows(r), cols(c) {
    const size_t n = size_t{r} * c;
    w.resize(n);
    for (float& x : w) x = rng->Symmetric(init);
    m.assign(n, 0);
    v.assign(n, 0);
    grad.assign(n, 0);
    is_touched.assign(r, 0);
  }
  float* GradRow(uint32_t r) {
    if (!is_touched[r]) {
      is_touched[r] = 1;
      touched.push_back(r);
      std::fill(grad.begin() + size_t{r} * cols, grad.begin() + size_t{r + 1} * cols, 0.0f);
    }
    return grad.data() + size_t{r} * cols;
  }
  void Step(float lr_t, float scale, uint64_t step, float decay) {
    for (uint32_t r : touched) {
      if (decay > 0) CatchUpRow(r, step - 1, decay);
      for (size_t j = size_t{r} * cols; j < size_t{r + 1} * cols; ++j) {
        const float g = grad[j] * scale;
        m[j] = kBeta1 * m[j] + (1 - kBeta1) * g;
        v[j] = kBeta2 * v[j] + (1 - kBeta2) * g * g;
        w[j] -= lr_t * m[j] / (std::sqrt(v[j]) + kEpsilon);
        if (decay > 0) ema[j] = decay * ema[j] + (1 - decay) * w[j];
      }
      if (decay > 0) ema_step[r] = step;
      is_touched[r] = 0;
    }
    touched.clear();
  }
  void CatchUpRow(uint32_t r, uint64_t step, float decay) {
    if (ema.empty()) {
      ema = w;
      ema_step.assign(rows, 0);
    }
    if (ema_step[r] >= step) return;
    const float keep = std::pow(decay, static_cast<float>(step - ema_step[r]));
    for (size_t j = size_t{r} * cols; j < size_t{r + 1} * cols; ++j) ema[j] = w[j] + (ema[j] - w[j]) * keep;
    ema_step[r] = step;
  }
  void CatchUp(uint64_t step, float decay) {
    for (uint32_t r = 0; r < rows; ++r) CatchUpRow(r, step, decay);
  }
};

struct FloatDense {
  RowMatrix w, gw, mw, vw;  // [in][out]
  Vector b, gb, mb, vb;

  FloatDense(int in, int out, Rng* rng) {
    w.resize(in, out);
    const float limit = std::sqrt(6.0f / static_cast<float>(in));  // He-uniform for ReLU inputs.
    for (int i = 0; i < in; ++i)
      for (int o = 0; o < out; ++o) w(i, o) = rng->Symmetric(limit);
    gw = mw = vw = RowMatrix::Zero(in, out);
    b = gb = mb = vb = Vector::Zero(out);
  }
  RowMatrix ema_w;
  Vector ema_b;

  void Step(float lr_t, float scale, float decay) {
    gw *= scale;
    gb *= scale;
    mw = kBeta1 * mw + (1 - kBeta1) * gw;
    vw = kBeta2 * vw + (1 - kBeta2) * gw.cwiseProduct(gw);
    w.array() -= lr_t * mw.array() / (vw.array().sqrt() + kEpsilon);
    mb = kBeta1 * mb + (1 - kBeta1) * gb;
    vb = kBeta2 * vb + (1 - kBeta2) * gb.cwiseProduct(gb);
    b.array() -= lr_t * mb.array() / (vb.array().sqrt() + kEpsilon);
    if (decay > 0) {
      if (ema_w.size() == 0) {
        ema_w = w;
        ema_b = b;
      }
      ema_w = decay * ema_w + (1 - decay) * w;
      ema_b = decay * ema_b + (1 - decay) * b;
    }
    gw.setZero();
    gb.setZero();
  }
};

class FloatNet {
 public:
  FloatNet(const FeatureSpec& spec, const std::vector<int>& hidden, int labels, float embedding_init, Rng* rng)
      : spec_(spec), table_of_(spec.TableOf()) {
    for (size_t owner : spec.TableOwners()) {
      tables_.emplace_back(spec.groups[owner].buckets, spec.groups[owner].dim, embedding_init, rng);
    }
    std::vector<int> widths = {spec.InputDim()};
    widths.insert(widths.end(), hidden.begin(), hidden.end());
    widths.push_back(labels);
    for (size_t k = 0; k + 1 < widths.size(); ++k) layers_.emplace_back(widths[k], widths[k + 1], rng);
    acts_.resize(layers_.size() + 1);
  }

  // Forward pass; returns the index of the top label and leaves probabilities in probs_.
  int Forward(const FeatureBags& bags) {
    Vector& x = acts_[0];
    x.setZero(spec_.InputDim());
    int offset = 0;
    for (size_t g = 0; g < spec_.groups.size(); ++g) {
      const auto& ids = bags.ids[g];
      const FloatTable& table = tables_[table_of_[g]];
      const int dim = table.cols;
      if (!ids.empty()) {
        const float w = 1.0f / static_cast<float>(ids.size());
        for (uint32_t id : ids) {
          x.segment(offset, dim) += w * Eigen::Map<const Vector>(table.w.data() + size_t{id} * dim, dim);
        }
      }
      offset += dim;
    }
    for (size_t k = 0; k < layers_.size(); ++k) {
      acts_[k + 1].noalias() = layers_[k].w.transpose() * acts_[k];
      acts_[k + 1] += layers_[k].b;
      if (k + 1 < layers_.size()) acts_[k + 1] = acts_[k + 1].cwiseMax(0.0f);
    }
    const Vector& logits = acts_.back();
    probs_ = (logits.array() - logits.maxCoeff()).exp();
    probs_ /= probs_.sum();
    Eigen::Index best;
    probs_.maxCoeff(&best);
    return static_cast<int>(best);
  }

  // Backward pass for the last Forward; accumulates gradients. Returns the example's loss.
  float Backward(const FeatureBags& bags, int label) {
    const float loss = -std::log(std::max(probs_[label], 1e-30f));
    delta_ = probs_;
    delta_[label] -= 1.0f;
    for (size_t k = layers_.size(); k-- > 0;) {
      layers_[k].gw.noalias() += acts_[k] * delta_.transpose();
      layers_[k].gb += delta_;
      next_delta_.noalias() = layers_[k].w * delta_;
      if (k > 0) next_delta_ = (acts_[k].array() > 0.0f).select(next_delta_, 0.0f);
      delta_.swap(next_delta_);
    }
    int offset = 0;
    for (size_t g = 0; g < spec_.groups.size(); ++g) {
      const auto& ids = bags.ids[g];
      FloatTable& table = tables_[table_of_[g]];
      const int dim = table.cols;
      if (!ids.empty()) {
        const float w = 1.0f / static_cast<float>(ids.size());
        for (uint32_t id : ids) {
          Eigen::Map<Vector>(table.GradRow(id), dim) += w * delta_.segment(offset, dim);
        }
      }
      offset += dim;
    }
    return loss;
  }

  void Step(float lr_t, int batch, uint64_t step, float ema_decay) {
    const float scale = 1.0f / static_cast<float>(batch);
    for (auto& t : tables_) t.Step(lr_t, scale, step, ema_decay);
    for (auto& l : layers_) l.Step(lr_t, scale, ema_decay);
  }

  // Exchanges the weights with their moving averages (after bringing those up to `step`); calling it again
  // exchanges them back.
  void SwapAverages(uint64_t step, float ema_decay) {
    for (auto& t : tables_) {
      t.CatchUp(step, ema_decay);
      t.w.swap(t.ema);
    }
    for (auto& l : layers_) {
      if (l.ema_w.size() == 0) continue;
      l.w.swap(l.ema_w);
      l.b.swap(l.ema_b);
    }
  }

  // Weights only (no optimizer state): what early stopping keeps.
  struct Snapshot {
    std::vector<std::vector<float>> tables;
    std::vector<RowMatrix> w;
    std::vector<Vector> b;
  };
  Snapshot Save() const {
    Snapshot s;
    for (const auto& t : tables_) s.tables.push_back(t.w);
    for (const auto& l : layers_) {
      s.w.push_back(l.w);
      s.b.push_back(l.b);
    }
    return s;
  }
  void Restore(const Snapshot& s) {
    for (size_t g = 0; g < tables_.size(); ++g) tables_[g].w = s.tables[g];
    for (size_t k = 0; k < layers_.size(); ++k) {
      layers_[k].w = s.w[k];
      layers_[k].b = s.b[k];
    }
  }

  void Quantize(Classifier* out) const {
    const std::vector<size_t> owners = spec_.TableOwners();
    for (size_t t = 0; t < tables_.size(); ++t) {
      out->tables.push_back(QuantizedTable::Quantize(tables_[t].w.data(), tables_[t].rows, tables_[t].cols,
                                                     spec_.groups[owners[t]].bits));
    }
    out->table_of = table_of_;
    for (const auto& l : layers_) {
      out->layers.push_back(QuantizedDense::Quantize(l.w.data(), l.b.data(), static_cast<int>(l.w.rows()),
                                                     static_cast<int>(l.w.cols())));
    }
  }

 private:
  FeatureSpec spec_;
  std::vector<int> table_of_;
  std::vector<FloatTable> tables_;
  std::vector<FloatDense> layers_;
  std::vector<Vector> acts_;
  Vector probs_, delta_, next_delta_;
};

double FloatAccuracy(FloatNet* net, const ExampleSource& data) {
  FeatureBags bags;
  Rng unused(0);
  size_t correct = 0;
  for (size_t i = 0; i < data.size(); ++i) {
    data.Features(i, &unused, &bags);
    correct += net->Forward(bags) == data.Label(i);
  }
  return data.size() ? static_cast<double>(correct) / data.size() : 0.0;
}

}  // namespace

void RecordTraining(const TrainReport& report, size_t budget_bytes, const std::string& train_path,
                    const std::string& dev_path, uint64_t seed, const std::string& command, Classifier* model) {
  model->meta["icu_version"] = IcuVersion();
  model->meta["budget_bytes"] = std::to_string(budget_bytes);
  model->meta["train.data"] = train_path;
  model->meta["train.dev"] = dev_path;
  model->meta["train.seed"] = std::to_string(seed);
  model->meta["train.epochs"] = absl::StrFormat("%d (best %d)", report.epochs_run, report.best_epoch);
  model->meta["train.command"] = command.substr(0, 2048);
}

double EvaluateAccuracy(const Classifier& model, const ExampleSource& data) {
  FeatureBags bags;
  ClassifierScratch scratch;
  std::vector<float> probs(model.labels.size());
  Rng unused(0);
  size_t correct = 0;
  for (size_t i = 0; i < data.size(); ++i) {
    data.Features(i, &unused, &bags);
    model.Predict(bags, &scratch, probs.data());
    correct += static_cast<int>(std::max_element(probs.begin(), probs.end()) - probs.begin()) == data.Label(i);
  }
  return data.size() ? static_cast<double>(correct) / data.size() : 0.0;
}

absl::StatusOr<Classifier> TrainClassifier(const FeatureSpec& spec, const std::vector<std::string>& labels,
                                           const ExampleSource& train, const ExampleSource& dev,
                                           const TrainerOptions& options, TrainReport* report) {
  if (train.size() == 0) return absl::InvalidArgumentError("no training examples");
  if (labels.size() < 2) return absl::InvalidArgumentError("training needs at least two labels");
  if (absl::Status s = CheckHiddenWidths(options.hidden); !s.ok()) return s;
  if (options.batch_size < 1 || options.max_epochs < 1) {
    return absl::InvalidArgumentError("batch size and epochs must be positive");
  }
  const auto start = std::chrono::steady_clock::now();
  const auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };

  Rng rng(options.seed);
  FloatNet net(spec, options.hidden, static_cast<int>(labels.size()), options.embedding_init, &rng);
  std::vector<size_t> order(train.size());
  std::iota(order.begin(), order.end(), 0);
  FeatureBags bags;

  const uint64_t total_steps =
      uint64_t(options.max_epochs) * ((train.size() + options.batch_size - 1) / options.batch_size);
  uint64_t step = 0;
  double best = -1;
  int since_best = 0;
  FloatNet::Snapshot best_weights;
  TrainReport r;
  for (int epoch = 1; epoch <= options.max_epochs; ++epoch) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
    double loss_sum = 0;
    size_t seen = 0, in_batch = 0, next_report = order.size() / 5;
    for (size_t idx : order) {
      train.Features(idx, &rng, &bags);
      if (options.group_dropout > 0) {
        for (auto& ids : bags.ids)
          if (rng.Unit() < options.group_dropout) ids.clear();
      }
      net.Forward(bags);
      loss_sum += net.Backward(bags, train.Label(idx));
      ++seen;
      if (++in_batch == static_cast<size_t>(options.batch_size) || seen == order.size()) {
        ++step;
        const float decay = 1.0f - 0.9f * static_cast<float>(step) / static_cast<float>(total_steps);
        const float lr_t = options.learning_rate * decay *
                           std::sqrt(1.0f - std::pow(kBeta2, static_cast<float>(step))) /
                           (1.0f - std::pow(kBeta1, static_cast<float>(step)));
        net.Step(lr_t, static_cast<int>(in_batch), step, options.ema_decay);
        in_batch = 0;
      }
      if (seen == next_report && seen < order.size()) {
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        say(absl::StrFormat("epoch %d/%d: %d%%, loss %.4f, %.1fs elapsed", epoch, options.max_epochs,
                            100 * seen / order.size(), loss_sum / seen, secs));
        next_report += order.size() / 5;
      }
    }
    if (options.ema_decay > 0) net.SwapAverages(step, options.ema_decay);  // Select on the averaged weights.
    const double acc = FloatAccuracy(&net, dev);
    r.epochs_run = epoch;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    say(absl::StrFormat("epoch %d/%d done: train loss %.4f, dev accuracy %.4f, %.1fs elapsed", epoch,
                        options.max_epochs, loss_sum / seen, acc, secs));
    if (acc > best) {
      best = acc;
      r.best_epoch = epoch;
      best_weights = net.Save();
      since_best = 0;
    } else {
      ++since_best;
    }
    if (options.ema_decay > 0) net.SwapAverages(step, options.ema_decay);
    if (since_best >= options.patience) {
      say(absl::StrFormat("early stop: no better dev accuracy for %d epochs", options.patience));
      break;
    }
  }
  net.Restore(best_weights);
  r.dev_accuracy_float = best;

  Classifier model;
  model.spec = spec;
  model.labels = labels;
  model.meta["hidden"] = absl::StrJoin(options.hidden, ",");
  net.Quantize(&model);
  r.dev_accuracy_quantized = EvaluateAccuracy(model, dev);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  say(absl::StrFormat("best epoch %d: dev accuracy %.4f float, %.4f after quantization", r.best_epoch,
                      r.dev_accuracy_float, r.dev_accuracy_quantized));
  if (report) *report = r;
  return model;
}

}  // namespace slimnlp::core
