const offer = await pc.createOffer();
const baseUrl = "https://api.openai.com/v1/realtime"; // expect[beta-sessions-endpoint]
const sdpResponse = await fetch(`${baseUrl}?model=${model}`, {
  method: "POST",
  body: offer.sdp,
  headers: { Authorization: `Bearer ${ephemeralKey}`, "Content-Type": "application/sdp" },
});
const direct = await fetch("https://api.openai.com/v1/realtime?model=gpt-realtime-2.1", init); // expect[beta-sessions-endpoint]
