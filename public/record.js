// The editor's recorder, on a text's recording page. "Record" asks for the microphone and
// records Opus at about 24 kbps (speech, about 180 KB a minute); "Stop" ends it, and the take
// can be heard at once. Recording again replaces the take. The take goes into the upload
// form's file field, so "Save" sends it like an uploaded file, and the server checks it the
// same way. Without this script, or without a microphone, the upload form still works.
const section = document.querySelector(".recorder");
const form = document.querySelector(".recording-form");
const types = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus"];
const type = self.MediaRecorder && types.find((t) => MediaRecorder.isTypeSupported(t));

if (section && form && type && navigator.mediaDevices?.getUserMedia) {
  const [record, stopButton] = [section.querySelector("[data-record]"), section.querySelector("[data-stop]")];
  const take = section.querySelector("[data-take]");
  const state = section.querySelector("[data-state]");
  const file = form.querySelector("input[type=file]");
  let recorder = null;
  let timer = null;
  section.hidden = false;

  // How long the take is so far, as 0:07: a text read slowly, not a talk (90 s at most).
  const clock = (started) => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    section.dataset.seconds = String(seconds);
    state.textContent = `${section.dataset.recording} ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  };

  record.addEventListener("click", async () => {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
      });
    } catch {
      state.textContent = section.dataset.noMicrophone;
      return;
    }
    const chunks = [];
    recorder = new MediaRecorder(stream, { mimeType: type, audioBitsPerSecond: 24000 });
    recorder.ondataavailable = (event) => chunks.push(event.data);
    recorder.onstop = () => {
      clearInterval(timer);
      stream.getTracks().forEach((track) => track.stop());
      const blob = new Blob(chunks, { type: recorder.mimeType });
      const name = type.startsWith("audio/ogg") ? "recording.ogg" : "recording.webm";
      const files = new DataTransfer();
      files.items.add(new File([blob], name, { type: blob.type }));
      file.files = files.files;
      if (take.src) {
        URL.revokeObjectURL(take.src);
      }
      take.src = URL.createObjectURL(blob);
      take.hidden = false;
      record.hidden = false;
      stopButton.hidden = true;
      state.textContent = section.dataset.ready;
      section.dataset.taken = "yes";
    };
    recorder.start();
    record.hidden = true;
    stopButton.hidden = false;
    const started = Date.now();
    clock(started);
    timer = setInterval(() => clock(started), 250);
  });

  stopButton.addEventListener("click", () => recorder?.state === "recording" && recorder.stop());
}
