// Runs the cases in a folder on this plugin's provider: plugin_cases DIR [--update].
#include "llmrt/kit/cases.h"
#include "llmrt/kit/plugin_entry.h"

int main(int argc, char** argv) {
  auto provider = llmrt::kit::provider_from(llmrt_plugin_info());
  return llmrt::kit::run_cases_main(*provider, argc, argv);
}
