const model = "gpt-4o-realtime-preview-2024-10-01"; // expect[retired-model]
const url = `${BASE}?model=gpt-4o-realtime-preview-2025-06-03`; // expect[retired-model]
