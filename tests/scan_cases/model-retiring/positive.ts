const session = { type: "realtime", model: "gpt-realtime" }; // expect[model-retiring]
const transcription = { model: "gpt-4o-transcribe" }; // expect[model-retiring]
