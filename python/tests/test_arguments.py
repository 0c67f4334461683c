"""Bad arguments from Python raise TypeError or ValueError naming the argument, before any
request is sent."""

import ast
import pathlib

import pytest

import llmrt


@pytest.mark.parametrize(
    "messages, error, words",
    [
        (42, TypeError, "messages: expected a list of message dicts or a str, got int"),
        ({"role": "user", "content": "hi"}, TypeError, "got dict"),
        ([{"role": "user", "content": object()}], TypeError, "messages"),
        ([{"content": "who says this?"}], ValueError, "messages: [0]"),
        ([{"role": "user", "content": "hi", "colour": "red"}], ValueError, "colour"),
        ([], ValueError, "messages"),
    ],
)
def test_bad_messages(model, messages, error, words):
    with pytest.raises(error) as failure:
        model.chat(messages)
    assert words in str(failure.value)


def test_text_utf8_cannot_carry_is_a_value_error_naming_where(model):
    lone = "\ud800"
    for call, words in [
        (lambda: model.chat(lone), "messages: the text holds a lone surrogate"),
        (lambda: model.chat([{"role": "user", "content": lone}]), "messages: the text"),
        (lambda: model.chat("hi", user=lone), "params: user: the text"),
        (lambda: model.chat("hi", stop_words=["a", lone]), "params: stop_words: the text"),
        (lambda: model.tokenize(lone), "text: the text holds a lone surrogate"),
    ]:
        with pytest.raises(ValueError) as failure:
            call()
        assert words in str(failure.value)
    with pytest.raises(TypeError, match="text: expected a str, got int"):
        model.tokenize(5)


def test_concurrency_out_of_range_is_a_value_error_naming_it(model):
    for value in (0, -(10**20), 10**20):
        with pytest.raises(ValueError, match="^concurrency: "):
            model.chat_batch(["hi"], concurrency=value)


def test_a_bad_wake_fd_is_an_os_error_with_its_errno(model):
    import errno

    stream = model.stream_chunks("hi")
    try:
        with pytest.raises(OSError) as failure:
            stream.set_wake_fd(99999, 1)
        assert failure.value.errno == errno.EBADF
    finally:
        stream.close()


def test_bad_parameters_name_themselves(model):
    with pytest.raises(TypeError, match="params: temperature"):
        model.chat("hi", temperature=object())
    with pytest.raises(ValueError, match="params: top_p: nan is no JSON number"):
        model.chat("hi", top_p=float("nan"))
    with pytest.raises(llmrt.BadRequestError, match="temperature"):
        model.chat("hi", temperature="hot")  # a string where the core wants a number


def test_bad_call_arguments(model):
    with pytest.raises(TypeError, match="cancel: expected an llmrt.CancelToken or None, got str"):
        model.chat("hi", cancel="now")
    with pytest.raises(TypeError, match="concurrency"):
        model.chat_batch(["hi"], concurrency="many")
    with pytest.raises(ValueError, match="concurrency: must be at least 1"):
        model.chat_batch(["hi"], concurrency=0)
    with pytest.raises(ValueError, match=r"conversations\[1\]: unknown key 'param'"):
        model.chat_batch(["hi", {"messages": "hi", "param": {}}])
    with pytest.raises(TypeError, match="on_done: expected a callable"):
        model.start_chat("hi", {}, None)
    with pytest.raises(TypeError, match="on_event: expected a callable"):
        model.start_stream("hi", {}, 3, print)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"retry": "two"}, TypeError, "retry: expected an int, got str"),
        ({"retry": True}, TypeError, "retry: expected an int, got bool"),
        ({"retry": -1}, ValueError, "retry: expected a number of retries >= 0"),
        ({"timeout": 0}, ValueError, "timeout: expected a positive number of seconds"),
        ({"key": 5}, TypeError, "key: expected a str or a list of str"),
        ({"key": []}, ValueError, "key: expected at least one entry"),
        ({"defaults": "openai"}, ValueError, "defaults: expected one of lagent, none"),
        ({"options": {"mode": 1}}, TypeError, "options['mode']: expected a str"),
        ({"meta_template": [{"role": "user", "colour": "x"}]}, ValueError, "meta_template[0]"),
        ({"api_base": "ftp://example.com/v1"}, ValueError, "api_base: 'ftp://example.com/v1' is"),
        ({"proxy": "bad proxy"}, ValueError, "proxy: proxy URL has a bad host 'bad proxy'"),
        ({"proxy": "socks5://p:1"}, ValueError, "proxy: proxy URL scheme 'socks5'"),
        ({"api_base": ""}, ValueError, "api_base: the API base is empty"),
        ({"meta_template": []}, ValueError, "meta_template: expected at least one role"),
        # What JSON cannot carry is named by the argument, not by a place in made-up text.
        ({"timeout": float("inf")}, ValueError, "timeout: expected a finite number, got inf"),
        (
            {"params": {"temperature": float("nan")}},
            ValueError,
            "params['temperature']: expected a finite number",
        ),
        ({"key": "\ud800"}, ValueError, "key: not UTF-8 text"),
        ({"params": {"stop": ["ok", "\udfff"]}}, ValueError, "params['stop'][1]: not UTF-8 text"),
        (
            {"meta_template": [{"role": "user"}]},
            ValueError,
            "neither api_role nor fallback_role",
        ),
    ],
)
def test_bad_model_arguments(runtime, kwargs, error, words):
    with pytest.raises(error) as failure:
        runtime.model("openai", "gpt-4o-mini", **{"key": "k", **kwargs})
    assert words in str(failure.value)
    # The argument is named as it was given, not by its path in the file made from them.
    assert "$.models" not in str(failure.value)


def test_a_plugin_path_that_is_no_path_is_named(tmp_path):
    with pytest.raises(TypeError) as failure:
        llmrt.Runtime(plugins=[str(tmp_path), None])
    assert "plugins[1]: expected a path, got NoneType" in str(failure.value)


def test_a_configured_name_takes_no_settings(runtime):
    with pytest.raises(TypeError, match="retry= applies to a model made from arguments"):
        runtime.model("smart", retry=1)
    with pytest.raises(TypeError, match="give a configured name"):
        runtime.model()


def test_a_meta_template_maps_roles_as_lagent_does(runtime, mock_server):
    model = runtime.model(
        "openai",
        "gpt-4o-mini",
        api_base=mock_server.url + "/v1",
        key="k",
        meta_template=[
            {"role": "system", "api_role": "system"},
            {"role": "user", "api_role": "user"},
            {"role": "assistant", "api_role": "assistant"},
            {"role": "environment", "api_role": "system", "begin": "[tool]\n"},
        ],
        defaults="lagent",
    )
    assert model.chat([{"role": "environment", "content": "42"}, {"role": "user", "content": "hi"}])
    with pytest.raises(llmrt.BadRequestError, match="narrator"):
        model.chat([{"role": "narrator", "content": "hi"}])


def test_the_stubs_parse_and_name_every_public_name():
    package = pathlib.Path(llmrt.__file__).resolve().parent
    stub = ast.parse((package / "__init__.pyi").read_text())
    ast.parse((package / "_llmrt.pyi").read_text())
    named = {alias.asname or alias.name for node in ast.walk(stub) if isinstance(node, ast.ImportFrom) for alias in node.names}
    named |= {node.name for node in stub.body if isinstance(node, ast.ClassDef)}
    assert set(llmrt.__all__) <= named


def test_a_runtime_names_its_plugins_and_the_files_it_could_not_load(tmp_path):
    (tmp_path / "libbroken.so").write_text("not a shared object")
    runtime = llmrt.Runtime(plugins=[tmp_path])
    names = {plugin["name"] for plugin in runtime.plugins}
    assert {"openai", "anthropic", "gemini", "ollama", "qwen", "internlm"} <= names
    assert any("libbroken.so" in error for error in runtime.load_errors)
    with pytest.raises(TypeError, match="plugins: expected a list of paths, got int"):
        llmrt.Runtime(plugins=3)
    # A path that is not there, as a list entry or alone: refused as --plugin refuses it.
    for plugins in ([tmp_path / "missing"], str(tmp_path / "missing")):
        with pytest.raises(FileNotFoundError, match="plugins: no such file or folder: .*missing"):
            llmrt.Runtime(plugins=plugins)
