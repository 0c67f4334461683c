/* Streams a reply through llmrt's C API and reports a failure with everything llmrt knows of it.
 * Built with the project (-std=c11 -Wall -Wextra -Werror -pedantic) and run by the tests
 * against the mock server.
 *
 * Usage: stream_chat_c API_BASE [PARAMS_JSON]
 *   stream_chat_c http://127.0.0.1:8080/v1
 *   stream_chat_c http://127.0.0.1:8080/v1 '{"mock": {"status": 429}}'   (the mock server fails) */
#include <stdio.h>
#include <string.h>

#include "llmrt/c/llmrt.h"

static int report(const char* what, llmrt_error* error) {
  fprintf(stderr, "%s failed: %s\n", what, error->describe);
  fprintf(stderr, "kind: %s\nhttp status: %d\n", llmrt_code_name(error->kind), error->http_status);
  if (error->partial_content_size > 0) {
    fprintf(stderr, "partial reply: %s\n", error->partial_content);
  }
  llmrt_error_free(error);
  return 1;
}

int main(int argc, char** argv) {
  static const char kModelTemplate[] =
      "{\"provider\": \"openai\", \"model\": \"gpt-4o-mini\", \"api_base\": \"%s\","
      " \"keys\": [\"sk-c-example\"], \"retry\": 0}";
  char config[1024];
  llmrt_error* error = NULL;
  llmrt_runtime* runtime;
  llmrt_model* model;
  llmrt_stream* stream;
  llmrt_result* result;
  const llmrt_event* event;
  llmrt_usage usage;
  int status = 0;

  if (argc < 2 || strlen(argv[1]) > 512) {
    fprintf(stderr, "usage: stream_chat_c API_BASE [PARAMS_JSON]\n");
    return 2;
  }
  snprintf(config, sizeof config, kModelTemplate, argv[1]);

  /* No plugin paths: LLMRT_PLUGIN_PATH, then the folder installed beside the library. */
  runtime = llmrt_runtime_new(NULL, 0, &error);
  if (runtime == NULL) return report("llmrt_runtime_new", error);
  model = llmrt_model_from_json(runtime, config, &error);
  llmrt_runtime_free(runtime); /* the model keeps what it needs */
  if (model == NULL) return report("llmrt_model_from_json", error);

  stream = llmrt_stream_open(model, "[{\"role\": \"user\", \"content\": \"Say hello\"}]",
                             argc > 2 ? argv[2] : NULL, NULL, &error);
  if (stream == NULL) {
    llmrt_model_free(model);
    return report("llmrt_stream_open", error);
  }
  while (llmrt_stream_next(stream, &event, &error) == LLMRT_OK && event != NULL) {
    if (event->type == LLMRT_EVENT_CONTENT) {
      fwrite(event->text, 1, event->text_size, stdout);
      fflush(stdout);
    }
  }
  printf("\n");
  if (error != NULL) {
    status = report("the stream", error);
  } else {
    result = llmrt_stream_result(stream, &error);
    if (result == NULL) {
      status = report("llmrt_stream_result", error);
    } else {
      printf("finish: %s\n", llmrt_result_finish_reason(result));
      if (llmrt_result_usage(result, &usage)) {
        printf("tokens: %lld prompt, %lld completion\n", (long long)usage.prompt_tokens,
               (long long)usage.completion_tokens);
      }
      llmrt_result_free(result);
    }
  }
  llmrt_stream_free(stream);
  llmrt_model_free(model);
  return status;
}
