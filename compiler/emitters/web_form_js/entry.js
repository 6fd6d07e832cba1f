// The offline web form: ODK Web Forms on the XForm the page carries. Send saves the
// submission XML as a file (there is no server), which `rightguide score` reads.
import { createApp, h } from "vue";
import { OdkWebForm, webFormsPlugin } from "@getodk/web-forms";

const page = JSON.parse(document.getElementById("rightguide-form").textContent);

// The form has no media: any attachment it asks for is missing, and says so.
const fetchFormAttachment = async () => new Response(null, { status: 404 });

function stamp() {
  // 2026-12-03T18-42-35: sortable and valid in a file name on every system
  return new Date().toISOString().slice(0, 19).replaceAll(":", "-");
}

function save(file) {
  const name = `${page.formId}_${stamp()}.xml`;
  const url = URL.createObjectURL(file);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

// The language chosen in Web Forms' menu (it shows the XForm's language name).
function chosenLanguage() {
  const names = Object.keys(page.savedText);
  for (const shown of document.querySelectorAll(".language-changer .p-select-label")) {
    const text = shown.textContent.trim();
    if (names.includes(text)) return text;
  }
  return page.defaultLanguage;
}

// The value at an absolute path such as /data/quick_scan/qs_outcome, by element names.
function valueAt(root, xpath) {
  let node = root;
  for (const name of xpath.split("/").slice(2)) {
    node = node && Array.from(node.children).find((child) => child.localName === name);
  }
  return node ? node.textContent : "";
}

function showScores(notice, xml, lang) {
  if (page.scores.length === 0) return;
  const root = new DOMParser().parseFromString(xml, "application/xml").documentElement;
  const heading = document.createElement("strong");
  heading.textContent = page.scoresText[lang];
  const table = document.createElement("table");
  for (const score of page.scores) {
    const value = valueAt(root, score.xpath);
    const shown = score.choices[value] ? score.choices[value][lang] : value;
    const row = table.insertRow();
    row.dataset.score = score.xpath.split("/").pop();
    row.insertCell().textContent = score.label[lang];
    row.insertCell().textContent = shown === "NaN" ? "" : shown;
  }
  notice.append(heading, table);
}

async function handleSubmit(payload, callback) {
  if (payload.status !== "ready") {
    callback({ status: "failure" });
    return;
  }
  const file = payload.data[0].get("xml_submission_file");
  const name = save(file);
  const lang = chosenLanguage();
  const notice = document.getElementById("rightguide-saved");
  const line = document.createElement("p");
  line.textContent = page.savedText[lang].replaceAll("{file}", name);
  notice.replaceChildren(line);
  showScores(notice, await file.text(), lang);
  notice.hidden = false;
  notice.scrollIntoView();
  callback({ status: "success" });
}

const app = createApp({
  render: () =>
    h(OdkWebForm, {
      formXml: page.xform,
      fetchFormAttachment,
      onSubmit: handleSubmit,
    }),
});
app.use(webFormsPlugin);
app.mount("#rightguide-app");
