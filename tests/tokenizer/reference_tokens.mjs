// The reference side of the tokenizer agreement test: OpenAI's tiktoken (Rust, as WASM in the
// npm package) encodes each input the way llmrt's tokenizer is asked to.
//
// usage: node reference_tokens.mjs <tiktoken package dir> <encoding> < inputs > answers
// Each input line is base64 bytes. They become a string as WHATWG's UTF-8 decoder makes it
// (invalid sequences → U+FFFD), which is all the package's encode() accepts. Each answer line is
// "<encode_ordinary ids>;<encode with all specials allowed ids>;<reject|accept>", the last
// saying whether the default encode() refuses the text for holding a special token.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const [packageDir, encodingName] = process.argv.slice(2);
const { get_encoding } = createRequire(import.meta.url)(packageDir);
const encoding = get_encoding(encodingName);
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });  // a leading BOM is text too

const out = [];
for (const line of readFileSync(0, "utf8").split("\n")) {
  if (line === "") continue;
  const text = decoder.decode(Buffer.from(line, "base64"));
  const ordinary = encoding.encode_ordinary(text).join(" ");
  // Without "<|" no special token can occur: the other two answers are known (and the
  // reference's time halves on the code point sweep).
  if (!text.includes("<|")) {
    out.push(`${ordinary};${ordinary};accept`);
    continue;
  }
  let verdict = "accept";
  try {
    encoding.encode(text);
  } catch {
    verdict = "reject";
  }
  out.push(`${ordinary};${encoding.encode(text, "all").join(" ")};${verdict}`);
}
encoding.free();
process.stdout.write(out.join("\n") + "\n");
