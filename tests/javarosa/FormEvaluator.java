/*
 * FormEvaluator: fill one XForm many times with JavaRosa, the form engine of ODK Collect,
 * and report what the engine computed.  Used by tests/support/javarosa.py.
 *
 * Usage: java -cp ODK_Validate.jar:<dir of this class> FormEvaluator form.xml
 *
 * The form is parsed once and serialised with FormDef.writeExternal, which is what Collect
 * caches.  Every case starts from a fresh copy read back with FormDef.readExternal followed
 * by FormDef.initialize(true, ...): the same path Collect takes when it opens a blank form.
 *
 * Filling follows Collect: FormEntryController.stepToNextEvent walks the form in document
 * order and only stops at relevant questions and repeat prompts.
 *   - question: if the case has an answer for its path, build the IAnswerData a Collect
 *     widget would (select choices come from FormEntryPrompt.getSelectChoices, so itemsets
 *     and choice filters apply; int/decimal/date/... via XFormAnswerDataParser) and store
 *     it with FormEntryController.saveAnswer(index, data, true), which recomputes the DAG.
 *     Constraints are NOT enforced while filling (Collect would refuse to move on); they are
 *     evaluated afterwards and reported.  "" clears an answer; read-only questions are left
 *     alone and reported in "errors"; unparseable values too.
 *   - repeat prompt: add an instance while the case has more records (and the form allows).
 *   - existing repeat instance (initial instance in the form, jr:count): deleted when the
 *     case's array is shorter, as a user can, unless the repeat forbids it (jr:count).
 *   - then finalizeFormEntry(), as Collect does when a form is finalised.
 *
 * Protocol (UTF-8, one JSON document per line):
 *   startup  -> {"ready": true, "root": "data", ...}            or {"fatal": "..."} and exit 2
 *   stdin    <- one case per line: nested object mirroring the main instance below its root;
 *               objects are groups, arrays are repeat instances, strings are answers in XForm
 *               serialisation, absent or null means "not answered".
 *   stdout   -> {"values": {path: str}, "relevant": {path: bool}, "constraint": {path: bool},
 *               "errors": [str], "unused": [path]}                 or {"fatal": "..."}
 *   Paths are absolute ("/data/grp/q", "/data/rep[2]/q"; repeat instances 1-based, template
 *   excluded).  "values" has every element of the main instance ("" when empty), "relevant"
 *   is the node's relevance AND its ancestors', "constraint" covers nodes with a constraint
 *   (blank counts as satisfied), "unused" lists case answers and repeat records the walk
 *   never reached (non-relevant, unknown path, repeat not extendable).
 */

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.javarosa.core.model.Constants;
import org.javarosa.core.model.DataType;
import org.javarosa.core.model.FormDef;
import org.javarosa.core.model.FormIndex;
import org.javarosa.core.model.GroupDef;
import org.javarosa.core.model.IFormElement;
import org.javarosa.core.model.QuestionDef;
import org.javarosa.core.model.SelectChoice;
import org.javarosa.core.model.CoreModelModule;
import org.javarosa.core.model.data.DecimalData;
import org.javarosa.core.model.data.IAnswerData;
import org.javarosa.core.model.data.MultipleItemsData;
import org.javarosa.core.model.data.SelectMultiData;
import org.javarosa.core.model.data.SelectOneData;
import org.javarosa.core.model.data.StringData;
import org.javarosa.core.model.data.helper.Selection;
import org.javarosa.core.model.instance.InstanceInitializationFactory;
import org.javarosa.core.model.instance.TreeElement;
import org.javarosa.core.model.instance.TreeReference;
import org.javarosa.core.services.PropertyManager;
import org.javarosa.core.services.PrototypeManager;
import org.javarosa.core.util.JavaRosaCoreModule;
import org.javarosa.core.util.externalizable.ExtUtil;
import org.javarosa.form.api.FormEntryController;
import org.javarosa.form.api.FormEntryModel;
import org.javarosa.form.api.FormEntryPrompt;
import org.javarosa.model.xform.XFormsModule;
import org.javarosa.xform.parse.XFormParser;
import org.javarosa.xform.util.XFormAnswerDataParser;
import org.javarosa.xform.util.XFormAnswerDataSerializer;
import org.javarosa.xform.util.XFormUtils;

public final class FormEvaluator {
    private static final int MAX_EVENTS = 1_000_000;

    private final byte[] serialisedForm;
    private final String rootName;
    /** Generic paths ("/data/r", "/data/r/inner") of repeat elements. */
    private final Set<String> repeatPaths = new HashSet<>();
    private final XFormAnswerDataSerializer serializer = new XFormAnswerDataSerializer();

    private FormEvaluator(FormDef parsed) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream dos = new DataOutputStream(bos);
        parsed.writeExternal(dos);
        dos.flush();
        serialisedForm = bos.toByteArray();
        TreeElement root = parsed.getMainInstance().getRoot();
        rootName = root.getName();
        collectRepeats(root, "/" + rootName);
    }

    // ------------------------------------------------------------------ setup

    /** Register what Collect registers at start-up (JavaRosaInitializer). */
    private static void initJavaRosa() throws Exception {
        PrototypeManager.registerPrototypes(JavaRosaCoreModule.classNames);
        PrototypeManager.registerPrototypes(CoreModelModule.classNames);
        new XFormsModule().registerModule();
        PropertyManager.setPropertyManager(new org.opendatakit.validate.StubPropertyManager());
        // Let forms using odk:setgeopoint parse, as ODK Validate does.
        try {
            PrototypeManager.registerPrototype("org.opendatakit.validate.StubSetGeopointAction");
            Class<?> handler = Class.forName("org.opendatakit.validate.StubSetGeopointActionHandler");
            XFormParser.registerActionHandler("setgeopoint",
                (org.javarosa.xform.parse.IElementHandler) handler.getDeclaredConstructor().newInstance());
        } catch (Throwable ignored) {
            // Optional: only affects forms with setgeopoint.
        }
    }

    private void collectRepeats(TreeElement e, String genericPath) {
        if (e.isRepeatable()) {
            repeatPaths.add(genericPath);
        }
        for (int i = 0; i < e.getNumChildren(); i++) {
            TreeElement c = e.getChildAt(i);
            collectRepeats(c, genericPath + "/" + c.getName());
        }
    }

    private FormDef freshForm() throws Exception {
        FormDef fd = new FormDef();
        fd.readExternal(new DataInputStream(new ByteArrayInputStream(serialisedForm)),
            ExtUtil.defaultPrototypes());
        fd.initialize(true, new InstanceInitializationFactory());
        return fd;
    }

    // ------------------------------------------------------------------ paths

    /** Absolute path of a reference, repeat instances as [n] (1-based). */
    private String pathOf(TreeReference ref) {
        StringBuilder concrete = new StringBuilder();
        StringBuilder generic = new StringBuilder();
        for (int i = 0; i < ref.size(); i++) {
            String name = ref.getName(i);
            generic.append('/').append(name);
            concrete.append('/').append(name);
            int mult = ref.getMultiplicity(i);
            if (mult >= 0 && repeatPaths.contains(generic.toString())) {
                concrete.append('[').append(mult + 1).append(']');
            }
        }
        return concrete.toString();
    }

    /** Path of the repeat a prompt/instance reference belongs to, without its own index. */
    private String repeatBasePath(TreeReference ref) {
        return pathOf(ref.getParentRef()) + "/" + ref.getNameLast();
    }

    // ------------------------------------------------------------------ one case

    private static final class CaseData {
        final Map<String, String> answers = new LinkedHashMap<>();
        final Map<String, Integer> repeatCounts = new LinkedHashMap<>();
        final Set<String> used = new HashSet<>();
        final List<String> errors = new ArrayList<>();
    }

    private static void flatten(Object node, String path, CaseData data) {
        if (node == null) {
            return;
        }
        if (node instanceof Map) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) node).entrySet()) {
                flatten(entry.getValue(), path + "/" + entry.getKey(), data);
            }
        } else if (node instanceof List) {
            List<?> records = (List<?>) node;
            data.repeatCounts.put(path, records.size());
            for (int i = 0; i < records.size(); i++) {
                flatten(records.get(i), path + "[" + (i + 1) + "]", data);
            }
        } else {
            data.answers.put(path, String.valueOf(node));
        }
    }

    private Map<String, Object> evaluate(Map<String, Object> caseObject) throws Exception {
        CaseData data = new CaseData();
        flatten(caseObject, "/" + rootName, data);

        FormDef fd = freshForm();
        FormEntryModel model = new FormEntryModel(fd);
        FormEntryController fec = new FormEntryController(model);

        int event = fec.stepToNextEvent();
        int steps = 0;
        while (event != FormEntryController.EVENT_END_OF_FORM) {
            if (++steps > MAX_EVENTS) {
                throw new IllegalStateException("form walk did not terminate");
            }
            FormIndex index = model.getFormIndex();
            if (event == FormEntryController.EVENT_QUESTION) {
                answer(model, fec, index, data);
            } else if (event == FormEntryController.EVENT_PROMPT_NEW_REPEAT) {
                TreeReference ref = index.getReference();
                Integer wanted = data.repeatCounts.get(repeatBasePath(ref));
                int existing = ref.getMultLast();
                if (wanted != null && wanted > existing && fd.canCreateRepeat(ref, index)) {
                    fec.newRepeat();
                    // The index now points at the new instance: continue into it.
                }
            } else if (event == FormEntryController.EVENT_REPEAT) {
                // An instance that already exists (in the form's initial instance, or
                // created by jr:count).  Delete it if the case wants fewer, as a user can.
                TreeReference ref = index.getReference();
                Integer wanted = data.repeatCounts.get(repeatBasePath(ref));
                IFormElement element = fd.getChild(index);
                boolean deletable = element instanceof GroupDef && !((GroupDef) element).noAddRemove;
                if (wanted != null && ref.getMultLast() >= wanted && deletable) {
                    FormIndex next = fec.deleteRepeat();
                    event = fec.jumpToIndex(next);
                    continue;
                }
            }
            event = fec.stepToNextEvent();
        }
        fec.finalizeFormEntry();

        List<String> unused = new ArrayList<>();
        for (String path : data.answers.keySet()) {
            if (!data.used.contains(path)) {
                unused.add(path);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> relevant = new LinkedHashMap<>();
        Map<String, Object> constraint = new LinkedHashMap<>();
        TreeElement root = fd.getMainInstance().getRoot();
        report(fd, root, "", true, values, relevant, constraint);
        // Repeat records the walk could not create (non-relevant repeat, jr:count, ...).
        for (Map.Entry<String, Integer> wanted : data.repeatCounts.entrySet()) {
            for (int k = 1; k <= wanted.getValue(); k++) {
                String instance = wanted.getKey() + "[" + k + "]";
                if (!values.containsKey(instance)) {
                    unused.add(instance);
                }
            }
        }
        out.put("values", values);
        out.put("relevant", relevant);
        out.put("constraint", constraint);
        out.put("errors", data.errors);
        out.put("unused", unused);
        return out;
    }

    private void answer(FormEntryModel model, FormEntryController fec,
                        FormIndex index, CaseData data) {
        String path = pathOf(index.getReference());
        if (!data.answers.containsKey(path)) {
            return;
        }
        String raw = data.answers.get(path);
        data.used.add(path);
        FormEntryPrompt prompt = model.getQuestionPrompt(index);
        if (prompt.isReadOnly()) {
            data.errors.add(path + ": read-only question, answer ignored");
            return;
        }
        IAnswerData value;
        try {
            value = toAnswer(prompt, raw);
        } catch (IllegalArgumentException e) {
            data.errors.add(path + ": " + e.getMessage());
            return;
        }
        fec.saveAnswer(index, value, true);
    }

    /** Build the IAnswerData a Collect widget would produce for this question. */
    private IAnswerData toAnswer(FormEntryPrompt prompt, String raw) {
        if (raw.isEmpty()) {
            return null; // cleared
        }
        QuestionDef q = prompt.getQuestion();
        int control = q.getControlType();
        if (control == Constants.CONTROL_SELECT_ONE) {
            return new SelectOneData(choose(prompt, raw.trim()));
        }
        if (control == Constants.CONTROL_SELECT_MULTI || control == Constants.CONTROL_RANK) {
            List<Selection> selections = new ArrayList<>();
            for (String part : raw.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    selections.add(choose(prompt, part));
                }
            }
            return control == Constants.CONTROL_RANK
                ? new MultipleItemsData(selections) : new SelectMultiData(selections);
        }
        int dataType = prompt.getDataType();
        DataType type = DataType.from(dataType);
        if (type == DataType.TEXT || type == DataType.NULL || type == DataType.UNSUPPORTED) {
            return new StringData(raw);
        }
        IAnswerData value = XFormAnswerDataParser.getAnswerData(raw, dataType, q);
        if (value == null) {
            throw new IllegalArgumentException("invalid " + type + " value '" + raw + "'");
        }
        if (value instanceof DecimalData) {
            double d = (Double) value.getValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("invalid DECIMAL value '" + raw + "'");
            }
        }
        if (type == DataType.DATE
            && !raw.trim().equals(String.valueOf(serializer.serializeAnswerData(value, dataType)))) {
            // JavaRosa's date parser is lenient (2024-02-31 rolls over); a date widget is not.
            throw new IllegalArgumentException("invalid DATE value '" + raw + "'");
        }
        return value;
    }

    private static Selection choose(FormEntryPrompt prompt, String value) {
        List<SelectChoice> choices = prompt.getSelectChoices();
        if (choices != null) {
            for (SelectChoice choice : choices) {
                if (choice.getValue().equals(value)) {
                    return choice.selection();
                }
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of the available choices");
    }

    // ------------------------------------------------------------------ report

    private void report(FormDef fd, TreeElement e, String parentPath, boolean parentRelevant,
                        Map<String, Object> values, Map<String, Object> relevant,
                        Map<String, Object> constraint) {
        if (e.getMult() == TreeReference.INDEX_TEMPLATE) {
            return;
        }
        String path = parentPath + "/" + e.getName()
            + (e.isRepeatable() && e.getMult() >= 0 ? "[" + (e.getMult() + 1) + "]" : "");
        IAnswerData value = e.getValue();
        values.put(path, serialise(value, e.getDataType()));
        boolean rel = parentRelevant && e.isRelevant();
        relevant.put(path, rel);
        if (e.getConstraint() != null) {
            constraint.put(path, fd.evaluateConstraint(e.getRef(), value));
        }
        for (int i = 0; i < e.getNumChildren(); i++) {
            report(fd, e.getChildAt(i), path, rel, values, relevant, constraint);
        }
    }

    private String serialise(IAnswerData value, int dataType) {
        if (value == null) {
            return "";
        }
        Object s = serializer.serializeAnswerData(value, dataType);
        if (s == null) {
            s = serializer.serializeAnswerData(value);
        }
        return s == null ? value.getDisplayText() : s.toString();
    }

    // ------------------------------------------------------------------ main

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
            StandardCharsets.UTF_8.name());
        System.setOut(System.err); // keep library chatter off the protocol stream
        if (args.length != 1) {
            protocol.println(Json.write(Map.of("fatal", "usage: FormEvaluator form.xml")));
            protocol.flush();
            System.exit(2);
        }
        FormEvaluator evaluator;
        long start = System.nanoTime();
        try {
            initJavaRosa();
            FormDef parsed;
            try (FileInputStream in = new FileInputStream(args[0])) {
                parsed = XFormUtils.getFormFromInputStream(in);
            }
            evaluator = new FormEvaluator(parsed);
            evaluator.freshForm(); // fail now, not on the first case
        } catch (Throwable t) {
            protocol.println(Json.write(Map.of("fatal", "cannot load form: " + describe(t))));
            protocol.flush();
            System.exit(2);
            return;
        }
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("ready", true);
        ready.put("root", evaluator.rootName);
        ready.put("load_ms", (System.nanoTime() - start) / 1_000_000);
        protocol.println(Json.write(ready));
        protocol.flush();

        BufferedReader reader = new BufferedReader(
            new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String result;
            try {
                Object parsedCase = Json.parse(line);
                if (!(parsedCase instanceof Map)) {
                    throw new IllegalArgumentException("a case must be a JSON object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> caseObject = (Map<String, Object>) parsedCase;
                result = Json.write(evaluator.evaluate(caseObject));
            } catch (Throwable t) {
                result = Json.write(Map.of("fatal", describe(t)));
            }
            protocol.println(result);
            protocol.flush();
        }
    }

    private static String describe(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        String trace = sw.toString();
        return trace.length() > 4000 ? trace.substring(0, 4000) : trace;
    }

    // ------------------------------------------------------------------ JSON

    /** Minimal JSON reader/writer: objects, arrays, strings, numbers, booleans, null. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json p = new Json(text);
            Object v = p.value();
            p.ws();
            if (p.i != p.s.length()) {
                throw p.error("trailing characters");
            }
            return v;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad JSON at " + i + ": " + what);
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) {
                throw error("expected " + word);
            }
            i += word.length();
            return v;
        }

        private Object number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw error("unexpected character '" + s.charAt(i) + "'");
            }
            return s.substring(start, i); // numbers are kept as their literal text
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            ws();
            if (i < s.length() && s.charAt(i) == '}') {
                i++;
                return m;
            }
            while (true) {
                ws();
                if (i >= s.length() || s.charAt(i) != '"') {
                    throw error("expected key");
                }
                String key = string();
                ws();
                if (i >= s.length() || s.charAt(i) != ':') {
                    throw error("expected ':'");
                }
                i++;
                m.put(key, value());
                ws();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                } else if (i < s.length() && s.charAt(i) == '}') {
                    i++;
                    return m;
                } else {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array() {
            List<Object> a = new ArrayList<>();
            i++;
            ws();
            if (i < s.length() && s.charAt(i) == ']') {
                i++;
                return a;
            }
            while (true) {
                a.add(value());
                ws();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                } else if (i < s.length() && s.charAt(i) == ']') {
                    i++;
                    return a;
                } else {
                    throw error("expected ',' or ']'");
                }
            }
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            i++;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    break;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u':
                        if (i + 4 > s.length()) {
                            throw error("bad \\u escape");
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default: b.append(e);
                }
            }
            throw error("unterminated string");
        }

        static String write(Object v) {
            StringBuilder b = new StringBuilder();
            write(v, b);
            return b.toString();
        }

        private static void write(Object v, StringBuilder b) {
            if (v == null) {
                b.append("null");
            } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
                b.append(v);
            } else if (v instanceof Map) {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) v).entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    quote(String.valueOf(entry.getKey()), b);
                    b.append(':');
                    write(entry.getValue(), b);
                }
                b.append('}');
            } else if (v instanceof Iterable) {
                b.append('[');
                boolean first = true;
                for (Object item : (Iterable<?>) v) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    write(item, b);
                }
                b.append(']');
            } else {
                quote(v.toString(), b);
            }
        }

        private static void quote(String s, StringBuilder b) {
            b.append('"');
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                switch (c) {
                    case '"': b.append("\\\""); break;
                    case '\\': b.append("\\\\"); break;
                    case '\n': b.append("\\n"); break;
                    case '\r': b.append("\\r"); break;
                    case '\t': b.append("\\t"); break;
                    default:
                        if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                }
            }
            b.append('"');
        }
    }
}
