// Writes the general categories the pre-tokenisation patterns use (L, Lu, Ll, Lt, Lm, Lo, M,
// N) as tiktoken's regex engine knows them: Unicode 16.0.0, the version of the regex crate in
// the pinned tiktoken package. The data comes from regenerate-unicode-properties 10.2.0
// (Unicode 16.0.0), pinned beside it.
//
// usage: node unicode_classes.mjs <node_modules dir> <out.txt>
// Output: one line per category, "<name> <first>-<last> …" in hex.
import { renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [modules, output] = process.argv.slice(2);
const require = createRequire(join(modules, "index.js"));
const categories = {
  L: "Letter", Lu: "Uppercase_Letter", Ll: "Lowercase_Letter", Lt: "Titlecase_Letter",
  Lm: "Modifier_Letter", Lo: "Other_Letter", M: "Mark", N: "Number",
};
const lines = [];
for (const [short, long] of Object.entries(categories)) {
  const set = require(`regenerate-unicode-properties/General_Category/${long}.js`).characters;
  // regenerate keeps a sorted list of [start, end) pairs.
  const ranges = [];
  for (let i = 0; i < set.data.length; i += 2) {
    ranges.push(`${set.data[i].toString(16)}-${(set.data[i + 1] - 1).toString(16)}`);
  }
  lines.push(`${short} ${ranges.join(" ")}\n`);
}
writeFileSync(`${output}.part`, lines.join(""));
renameSync(`${output}.part`, output);
