// default was gpt-realtime
const session = { type: "realtime", model: "gpt-realtime-2.1" };
const path = "/v1/realtime";
const name = "gpt-realtime-whisper";
