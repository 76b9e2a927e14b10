// The console's only script: confirm dangerous buttons, and follow a broadcast's delivery live.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});

function watchProgress(box) {
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-progress-text]");
  const tick = async () => {
    try {
      const response = await fetch(box.dataset.progress, {headers: {"Accept": "application/json"}});
      if (response.ok) {
        const p = await response.json();
        bar.max = Math.max(p.total, 1);
        bar.value = p.sent + p.failed + p.skipped;
        text.textContent = `已送达 ${p.sent} · 失败 ${p.failed} · 跳过 ${p.skipped} · 待发送 ${p.pending}（共 ${p.total}）`;
        box.dataset.state = p.pending === 0 ? "finished" : "sending";
        if (p.pending === 0) return;
      }
    } catch (error) { /* the network blinked: try again on the next tick */ }
    setTimeout(tick, 1000);
  };
  tick();
}

document.querySelectorAll("[data-progress]").forEach(watchProgress);
