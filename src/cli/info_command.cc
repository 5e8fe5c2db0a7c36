// `slimnlp info MODEL`: what a model file holds and where its bytes go.
#include "absl/strings/str_format.h"
#include "slimnlp/model_info.h"
#include "src/cli/cli_common.h"

namespace slimnlp::cli {

void AddInfoCommand(CLI::App& app, int* exit_code) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("info", "Check a model file and print its size breakdown and training record");
  cmd->add_option("model", *path, "Model file")->required();
  cmd->callback([path, exit_code] {
    absl::StatusOr<ModelInfo> info = InspectModel(*path);
    if (!info.ok()) {
      std::fprintf(stderr, "slimnlp info: %s\n", std::string(info.status().message()).c_str());
      *exit_code = 2;
      return;
    }
    Output out;
    out.Write(absl::StrFormat("model    %s\ntask     %s\nlabels   %d\nfile     %d bytes\nmemory   %d bytes\n",
                              info->path, info->task, info->labels.size(), info->file_bytes, info->memory_bytes));
    if (info->budget_bytes) {
      out.Write(absl::StrFormat("budget   %d bytes (file %.1f%%, memory %.1f%%)\n", info->budget_bytes,
                                100.0 * info->file_bytes / info->budget_bytes,
                                100.0 * info->memory_bytes / info->budget_bytes));
    }
    out.Write(absl::StrFormat("features %s\n\nparts (in memory)\n", info->feature_spec));
    for (const auto& p : info->parts) {
      out.Write(absl::StrFormat("  %-10s %9d bytes  %5.1f%%  %s\n", p.name, p.bytes,
                                100.0 * p.bytes / info->memory_bytes, p.shape));
    }
    out.Write("\nmeta\n");
    for (const auto& [k, v] : info->meta) out.Write(absl::StrFormat("  %s = %s\n", k, v));
  });
}

}  // namespace slimnlp::cli
