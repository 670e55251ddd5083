const url = `wss://${resource}.openai.azure.com/openai/v1/realtime?model=${deployment}`;
const calls = `https://${resource}.openai.azure.com/openai/v1/realtime/calls?webrtcfilter=on`;
