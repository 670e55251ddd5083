// GA WebRTC: the SDP offer goes to /v1/realtime/calls
const offer = await pc.createOffer();
const sdpResponse = await fetch("https://api.openai.com/v1/realtime/calls", {
  method: "POST",
  body: offer.sdp,
  headers: { Authorization: `Bearer ${ephemeralKey}`, "Content-Type": "application/sdp" },
});
const docs = "https://platform.openai.com/docs/guides/realtime";
