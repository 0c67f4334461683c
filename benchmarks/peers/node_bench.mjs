// The official OpenAI Node SDK on llmrt's e2e workloads, against the same mock server:
//   node node_bench.mjs BASE_URL WORKLOAD      (chat_c1 | chat_c20 | stream_100k | streams_20x5k)
// Prints one JSON line like e2e_bench's: units, wall, client CPU (user + system), peak RSS.
import OpenAI from "openai";

const [baseURL, workload] = process.argv.slice(2);
const client = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: "sk-bench-key", maxRetries: 0 });
const question = [{ role: "user", content: "How fast is llmrt?" }];

// The mock server reads a "mock" member of the body; the SDK passes unknown members through.
const chat = (mock) => client.chat.completions.create({ model: "bench-model", messages: question, mock });

async function chats(total, concurrency) {
  let next = 0, errors = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      try { await chat({ chunks: 16 }); } catch { errors++; }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { units: total, unit: "request", errors };
}

async function streams(count, chunks) {
  let units = 0, errors = 0;
  await Promise.all(Array.from({ length: count }, async () => {
    try {
      const stream = await client.chat.completions.create({
        model: "bench-model", messages: question, stream: true,
        mock: { chunks, events_per_flush: 64 },
      });
      for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) units++;
    } catch { errors++; }
  }));
  return { units, unit: "chunk", errors };
}

const workloads = {
  chat_c1: () => chats(2000, 1),
  chat_c20: () => chats(2000, 20),
  stream_100k: () => streams(1, 100000),
  streams_20x5k: () => streams(20, 5000),
};

await chat({ chunks: 16 });  // connect once before measuring, as e2e_bench does
const cpu = process.cpuUsage();
const start = process.hrtime.bigint();
const result = await workloads[workload]();
const wall = Number(process.hrtime.bigint() - start) / 1e9;
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({
  workload, ...result, wall_s: wall, cpu_s: (used.user + used.system) / 1e6,
  sys_s: used.system / 1e6, peak_rss_mb: process.resourceUsage().maxRSS / 1024,
}));
