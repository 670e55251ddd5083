/* gpt-4o-realtime-preview-2024-10-01 is gone */
const model = "gpt-realtime-2.1";
const label = "not gpt-4o-realtime-preview any more";
const audio = "gpt-4o-audio-preview-extended";
