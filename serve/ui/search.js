// Search as you type: the results of /search replace the ones shown, a moment after the last
// key. Without this script the form still works as a plain form.
"use strict";
(function () {
  const form = document.querySelector("form[data-live]");
  if (!form || !document.getElementById("results")) {
    return;
  }
  let timer = null;
  let asked = 0;
  const update = async () => {
    const query = new URLSearchParams(new FormData(form));
    for (const [name, value] of [...query]) {
      if (value === "") {
        query.delete(name);
      }
    }
    if (!query.get("q")) {
      return;
    }
    const address = "/search?" + query.toString();
    const mine = ++asked;
    const response = await fetch(address, { headers: { Accept: "text/html" } });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("results");
    const shown = document.getElementById("results");
    if (mine === asked && fresh && shown) {
      shown.replaceWith(fresh);
      history.replaceState(null, "", address);
    }
  };
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => update().catch(() => {}), 250);
  });
})();
