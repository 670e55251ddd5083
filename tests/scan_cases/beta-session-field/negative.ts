// realtime GA: modalities became output_modalities
const session = {
  type: "realtime",
  output_modalities: ["audio"],
  audio: { input: { turn_detection: { type: "semantic_vad" } }, output: { voice: "marin" } },
};
const speaker = { voice: "alloy", temperature: 0.3 };
const label = "modalities";
