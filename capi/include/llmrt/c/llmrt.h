#ifndef LLMRT_C_LLMRT_H
#define LLMRT_C_LLMRT_H

/* The C API of llmrt: the runtime, its models, chat calls, streams and cancellation for hosts
 * that are not written in C++ (C, or any language with a C FFI). C11; no C++ type crosses it.
 *
 * Conventions, the same for every function:
 * - Handles are opaque and owned by the caller: whatever a function returns (a handle, an
 *   llmrt_error) is freed with the matching llmrt_*_free, which accepts NULL.
 * - A function that makes a handle returns it, or NULL on failure; any other fallible function
 *   returns LLMRT_OK (0) or the kind of the failure. Either way, when `error` is not NULL,
 *   *error is set to NULL on success and to a new llmrt_error on failure (free it with
 *   llmrt_error_free). Pass NULL for `error` when the code is enough.
 * - Strings in are UTF-8 and NUL-terminated, and only read during the call; strings out belong
 *   to the handle they came from and live as long as it does (stream events: until the next
 *   event).
 * - A NULL argument where a value is required is an error of kind LLMRT_INVALID_ARGUMENT, never
 *   a crash; bad JSON is LLMRT_BAD_REQUEST naming the argument and what was wrong.
 *
 * Threads: runtimes, models, results and cancel tokens may be used from any number of threads
 * at once. A stream handle is used by one thread at a time, except llmrt_stream_cancel, which
 * any thread may call while another waits in llmrt_stream_next. Stream callbacks run on the
 * thread that called llmrt_chat_stream, a batch's on_item on the thread that called
 * llmrt_chat_batch. */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define LLMRT_C_API __attribute__((visibility("default")))
#else
#define LLMRT_C_API
#endif

/* ---- Errors ---------------------------------------------------------------------------- */

/* What went wrong. The kinds from LLMRT_RATE_LIMITED to LLMRT_CANCELLED are llmrt's own
 * (llmrt::ErrorKind: the README's error table); the last three are the C API's. */
typedef enum llmrt_code {
  LLMRT_OK = 0,
  LLMRT_RATE_LIMITED = 1,    /* slow down; the key cools off */
  LLMRT_QUOTA_EXHAUSTED = 2, /* the key has no quota left */
  LLMRT_AUTH = 3,            /* the key is invalid */
  LLMRT_PERMISSION = 4,
  LLMRT_BAD_REQUEST = 5, /* also: bad JSON in, a bad configuration */
  LLMRT_CONTEXT_LENGTH = 6,
  LLMRT_CONTENT_FILTER = 7,
  LLMRT_NOT_FOUND = 8, /* also: no plugin or configured model by that name */
  LLMRT_SERVER = 9,
  LLMRT_TIMEOUT = 10,
  LLMRT_NETWORK = 11,
  LLMRT_PROTOCOL = 12, /* the peer broke the wire format */
  LLMRT_CANCELLED = 13,
  LLMRT_INVALID_ARGUMENT = 100, /* a NULL or out-of-order argument of the C API */
  LLMRT_OUT_OF_MEMORY = 101,
  LLMRT_INTERNAL = 102 /* an unexpected failure inside llmrt (a bug: please report it) */
} llmrt_code;

/* "ok", "rate_limited", …, "cancelled", "invalid_argument", "out_of_memory", "internal";
 * "unknown" for any other value. A static string. */
LLMRT_C_API const char* llmrt_code_name(llmrt_code code);

/* A failure, as llmrt classified it. Every string is NUL-terminated and never NULL ("" when
 * unknown); all of it is freed by llmrt_error_free. */
typedef struct llmrt_error {
  llmrt_code kind;
  int http_status;      /* 0: none (a network failure, an error inside a stream) */
  const char* code;     /* the provider's error code or type, as sent */
  const char* message;  /* the provider's message, or llmrt's */
  const char* describe; /* all of it in one line: "rate_limited (provider openai, HTTP 429, …):
                           message" */
  const char* request_id;
  const char* provider;
  const char* url; /* the failed call's URL, secrets removed */
  /* The reply text that arrived before the failure (a cut stream, a cancelled call). */
  const char* partial_content;
  size_t partial_content_size;
  int64_t retry_after_ms; /* the provider's Retry-After; -1: none */
} llmrt_error;

LLMRT_C_API void llmrt_error_free(llmrt_error* error);

/* "0.1.0": the version of the library loaded. */
LLMRT_C_API const char* llmrt_version(void);

/* ---- Cancellation ---------------------------------------------------------------------- */

/* A token that cancels the calls it is given to, from any thread. One token may serve many
 * calls; cancelling is final. A call cancelled ends with LLMRT_CANCELLED and the reply text
 * received so far in partial_content. The token may be freed while a call still uses it. */
typedef struct llmrt_cancel llmrt_cancel;

LLMRT_C_API llmrt_cancel* llmrt_cancel_new(llmrt_error** error);
LLMRT_C_API void llmrt_cancel_cancel(llmrt_cancel* cancel);
/* 1 once cancelled, else 0 (also for NULL). */
LLMRT_C_API int llmrt_cancel_is_cancelled(const llmrt_cancel* cancel);
LLMRT_C_API void llmrt_cancel_free(llmrt_cancel* cancel);

/* ---- Runtime and models ---------------------------------------------------------------- */

typedef struct llmrt_runtime llmrt_runtime;
typedef struct llmrt_model llmrt_model;

/* Loads the provider plugins from the `count` folders or files in `plugin_paths` (may be NULL
 * when count is 0), then LLMRT_PLUGIN_PATH, then the installed plugin folder. A plugin file
 * that fails to load does not stop the others (llmrt_runtime_load_errors lists it); a path
 * that does not exist is LLMRT_INVALID_ARGUMENT. */
LLMRT_C_API llmrt_runtime* llmrt_runtime_new(const char* const* plugin_paths, size_t count,
                                             llmrt_error** error);
/* A runtime for a configuration file (the README's "Configuration"): its plugin folders, its
 * named models and routes. A bad file is LLMRT_BAD_REQUEST naming the file and JSON path. */
LLMRT_C_API llmrt_runtime* llmrt_runtime_from_config(const char* path, llmrt_error** error);
/* The plugin files that failed to load, one line each ("KIND: what was wrong, with the path"),
 * as the CLI reports them; "" when every file loaded. */
LLMRT_C_API const char* llmrt_runtime_load_errors(const llmrt_runtime* runtime);
/* Models made from a runtime stay valid after it is freed. */
LLMRT_C_API void llmrt_runtime_free(llmrt_runtime* runtime);

/* A model or route named in the runtime's configuration file; LLMRT_NOT_FOUND lists the names
 * it has. Models of one runtime with the same name share connections, keys and budgets. */
LLMRT_C_API llmrt_model* llmrt_model_by_name(const llmrt_runtime* runtime, const char* name,
                                             llmrt_error** error);
/* A model from one model's JSON configuration, with the keys of an entry of "models" in a
 * configuration file: {"provider": "openai", "model": "gpt-4o-mini", "keys": ["ENV"], …}.
 * Errors name "config_json" and the JSON path. Each call makes a model of its own (its own
 * connections, keys and budgets); relative paths in it are taken from the working folder. */
LLMRT_C_API llmrt_model* llmrt_model_from_json(const llmrt_runtime* runtime,
                                               const char* config_json, llmrt_error** error);
/* Its configuration name (the route's), else the API model name. Lives as long as the model. */
LLMRT_C_API const char* llmrt_model_name(const llmrt_model* model);
LLMRT_C_API void llmrt_model_free(llmrt_model* model);

/* ---- Chat ------------------------------------------------------------------------------ */

typedef struct llmrt_usage {
  int64_t prompt_tokens;
  int64_t completion_tokens;
  int64_t total_tokens;
  /* Parts of the counts above, where the provider reports them (else 0). */
  int64_t cache_read_tokens;
  int64_t cache_write_tokens;
  int64_t reasoning_tokens;
} llmrt_usage;

/* A whole reply. Its strings live as long as it does. */
typedef struct llmrt_result llmrt_result;

/* The inputs of every call:
 * - messages_json: a JSON array of messages in OpenAI's chat-completions format, as the CLI's
 *   --messages reads them: [{"role": "user", "content": "Hi"}], with tool_calls, tool results
 *   and image parts where needed.
 * - params_json: NULL or a JSON object of generation parameters and provider extras, each sent
 *   as the JSON value it is: {"temperature": 0.2, "max_new_tokens": 100, "stop_words": ["\n"],
 *   "tools": […]} (the CLI's --param KEY=VALUE).
 * - cancel: NULL, or a token that cancels the call from another thread. */
LLMRT_C_API llmrt_result* llmrt_chat(const llmrt_model* model, const char* messages_json,
                                     const char* params_json, llmrt_cancel* cancel,
                                     llmrt_error** error);
/* The same for one user message with no parameters. */
LLMRT_C_API llmrt_result* llmrt_chat_prompt(const llmrt_model* model, const char* prompt,
                                            llmrt_error** error);

/* The reply text; `size`, when not NULL, receives its length in bytes. */
LLMRT_C_API const char* llmrt_result_content(const llmrt_result* result, size_t* size);
LLMRT_C_API const char* llmrt_result_reasoning(const llmrt_result* result, size_t* size);
/* The tool calls as a JSON array in OpenAI's shape ("[]" when none):
 * [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{…}"}}] */
LLMRT_C_API const char* llmrt_result_tool_calls_json(const llmrt_result* result);
/* The reply as the assistant message of the next turn (one element of messages_json). */
LLMRT_C_API const char* llmrt_result_message_json(const llmrt_result* result);
/* "stop", "length", "tool_calls", "content_filter", "error", "other"; "" when none was given. */
LLMRT_C_API const char* llmrt_result_finish_reason(const llmrt_result* result);
/* The provider's own word for it ("end_turn", "MAX_TOKENS", …). */
LLMRT_C_API const char* llmrt_result_finish_reason_raw(const llmrt_result* result);
/* 1 and *usage filled when the provider reported usage, else 0 (and *usage zeroed). */
LLMRT_C_API int llmrt_result_usage(const llmrt_result* result, llmrt_usage* usage);
/* The configured model that served the call (behind a route, the target that answered). */
LLMRT_C_API const char* llmrt_result_served_by(const llmrt_result* result);
/* 1 and *cost set (in the price's currency) when the model has a price and usage was
 * reported, else 0. */
LLMRT_C_API int llmrt_result_cost(const llmrt_result* result, double* cost);
LLMRT_C_API void llmrt_result_free(llmrt_result* result);

/* ---- Batches -------------------------------------------------------------------------- */

/* Told of one finished conversation of a batch: its index in the batch, and its result or its
 * error (exactly one is not NULL), which the callee owns from then on: free it with
 * llmrt_result_free or llmrt_error_free, now or whenever it is done with it. Called one at a
 * time, in the order the conversations finish; the others wait while it runs, so it should be
 * quick. */
typedef void (*llmrt_batch_fn)(size_t index, llmrt_result* result, llmrt_error* error, void* user);

/* Runs `count` conversations, `concurrency` at a time (0: 20; at most 256), on one event loop on
 * this thread, and tells `on_item` (with `user`) of each as it finishes, on this thread. llmrt
 * keeps no outcome, so a batch holds only its inputs and the calls in flight, however many
 * conversations it has. (When no event loop can be had, as when file descriptors run out, the
 * batch runs on threads and `on_item` is called on them, still one at a time.)
 * - messages_json[i]: conversation i's messages, as llmrt_chat takes them.
 * - params_json: NULL, or `count` entries, each NULL or conversation i's parameters (a JSON
 *   object, as llmrt_chat takes them); one string may serve every entry.
 * Every input's JSON is read before anything is sent: a NULL or unreadable one fails the call
 * (LLMRT_INVALID_ARGUMENT or LLMRT_BAD_REQUEST, naming it: "messages_json[3]: …") and nothing is
 * sent. Otherwise returns LLMRT_OK once each conversation has been handed to `on_item`, however
 * many failed; a conversation the model refuses (a parameter's value, an unknown role) is one
 * of them, with its LLMRT_BAD_REQUEST, and is not sent.
 * A cancelled token ends the unfinished conversations with LLMRT_CANCELLED. */
LLMRT_C_API llmrt_code llmrt_chat_batch(const llmrt_model* model, const char* const* messages_json,
                                        const char* const* params_json, size_t count,
                                        size_t concurrency, llmrt_cancel* cancel,
                                        llmrt_batch_fn on_item, void* user, llmrt_error** error);

/* ---- Streaming ------------------------------------------------------------------------- */

typedef enum llmrt_event_type {
  LLMRT_EVENT_CONTENT = 1,   /* text: a piece of the reply (after stop-word cutting) */
  LLMRT_EVENT_REASONING = 2, /* text (and signature, redacted, block): a piece of reasoning */
  LLMRT_EVENT_TOOL_CALL = 3, /* index, id, name, arguments: a fragment of a tool call; the
                                first fragment of a call carries id and name */
  LLMRT_EVENT_FINISH = 4,    /* text: why the model stopped ("stop", "length", …, as
                                llmrt_result_finish_reason); raw: the provider's word */
  LLMRT_EVENT_USAGE = 5,     /* usage: token counts (the last one wins) */
  LLMRT_EVENT_WARNING = 6    /* text: a parameter the plugin dropped or changed */
} llmrt_event_type;

/* One event of a streamed reply. Strings are never NULL ("" when not part of the event) and
 * live until the callback returns (pull: until the next llmrt_stream_next). A piece of text may end
 * inside a UTF-8 character; the next piece continues it. */
typedef struct llmrt_event {
  llmrt_event_type type;
  const char* text;
  size_t text_size;
  const char* signature;
  const char* redacted;
  int64_t block;
  int64_t index;
  const char* id;
  const char* name;
  const char* arguments;
  const char* raw;
  llmrt_usage usage;
} llmrt_event;

typedef void (*llmrt_event_fn)(const llmrt_event* event, void* user);

/* The reply as it arrives: `on_event` is called on this thread for each event, with `user`;
 * returns the whole result at the end, or NULL with the error (partial_content holds the text
 * that arrived). */
LLMRT_C_API llmrt_result* llmrt_chat_stream(const llmrt_model* model, const char* messages_json,
                                            const char* params_json, llmrt_cancel* cancel,
                                            llmrt_event_fn on_event, void* user,
                                            llmrt_error** error);

/* The pull variant: open a stream, take its events one by one, then its result. */
typedef struct llmrt_stream llmrt_stream;

/* Sends the request and waits for the reply to begin (retries happen here); NULL on failure. */
LLMRT_C_API llmrt_stream* llmrt_stream_open(const llmrt_model* model, const char* messages_json,
                                            const char* params_json, llmrt_cancel* cancel,
                                            llmrt_error** error);
/* Waits for the next event: LLMRT_OK with *event set, or with *event NULL once the stream has
 * ended (then take llmrt_stream_result); another code on failure, after which the stream is
 * over. */
LLMRT_C_API llmrt_code llmrt_stream_next(llmrt_stream* stream, const llmrt_event** event,
                                         llmrt_error** error);
/* The whole result once llmrt_stream_next said the stream ended (LLMRT_INVALID_ARGUMENT
 * before); the stream's last failure after one. */
LLMRT_C_API llmrt_result* llmrt_stream_result(llmrt_stream* stream, llmrt_error** error);
/* From any thread: the stream ends with LLMRT_CANCELLED. */
LLMRT_C_API void llmrt_stream_cancel(llmrt_stream* stream);
/* Closes the connection of an unfinished stream. */
LLMRT_C_API void llmrt_stream_free(llmrt_stream* stream);

#ifdef __cplusplus
}
#endif

#endif /* LLMRT_C_LLMRT_H */
