const url = `wss://${resource}.openai.azure.com/openai/realtime?api-version=${apiVersion}&deployment=${deployment}`; // expect[azure-preview-url]
const rtc = `https://${region}.realtimeapi-preview.ai.azure.com/v1/realtimertc`; // expect[azure-preview-url]
