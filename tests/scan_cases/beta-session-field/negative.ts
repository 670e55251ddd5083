// realtime GA: modalities became output_modalities
const session = {
  type: "realtime",
  output_modalities: ["audio"],
  audio: { input: { turn_detection: { type: "semantic_vad" } }, output: { voice: "marin" } },
};
const speaker = { voice: "alloy", temperature: 0.3 };
const label = "modalities";
// The Agents SDK's own session config takes a top-level voice and converts it to the GA shape.
await session.connect({ apiKey, initialSessionConfig: { voice: "marin", outputModalities: ["audio"] } });
session.updateSessionConfig({ voice: "echo" });
interface AgentSessionConfig {
  voice?: string;
}
