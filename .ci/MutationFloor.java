import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Per-class floor for mutation testing (README "Running the tests", SECURITY.md). Run with the JDK alone:
 * {@code java .ci/MutationFloor.java [--floor 80] [--all] REPORT.xml...}.
 *
 * <p>PIT's own {@code mutationThreshold} is per module. This reads the {@code mutations.xml} that
 * {@code mvn -Pmutation} writes ({@code target/pit-reports/mutations.xml} of each module) and fails when a
 * security-relevant class listed in {@code .ci/mutation-security-classes.txt} kills fewer than the floor
 * (default 80 %) of its mutants, or when a listed class has no mutants in the reports (a renamed or moved
 * class must be renamed in the list too). Killed means what PIT counts as detected: KILLED, TIMED_OUT,
 * MEMORY_ERROR, RUN_ERROR. Nested classes ({@code Outer$Inner}) count towards {@code Outer}. A line
 * {@code class 75} gives that class its own, lower floor (a known gap, to be named in the list's comment).
 * {@code --all} also prints every class of the reports, weakest first.
 *
 * <p>Exit status: 0 every listed class at or above the floor; 1 otherwise; 2 bad arguments or no report.
 */
public final class MutationFloor {
    private static final Set<String> DETECTED = Set.of("KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR");

    private MutationFloor() {
    }

    public static void main(String[] args) throws Exception {
        double floor = 80;
        boolean all = false;
        List<Path> reports = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--floor") && i + 1 < args.length) {
                floor = Double.parseDouble(args[++i]);
            } else if (args[i].equals("--all")) {
                all = true;
            } else {
                reports.add(Path.of(args[i]));
            }
        }
        if (reports.isEmpty()) {
            System.err.println("usage: java .ci/MutationFloor.java [--floor 80] [--all] REPORT.xml...");
            System.exit(2);
        }
        Path listFile = Path.of(".ci", "mutation-security-classes.txt");
        List<String> listed = new ArrayList<>();
        Map<String, Double> ownFloor = new LinkedHashMap<>(); // "class 75": a documented, lower floor for now
        for (String line : Files.readAllLines(listFile)) {
            String[] parts = line.replaceAll("#.*", "").strip().split("\\s+");
            if (!parts[0].isEmpty()) {
                listed.add(parts[0]);
                if (parts.length > 1) {
                    ownFloor.put(parts[0], Double.parseDouble(parts[1]));
                }
            }
        }
        Map<String, int[]> counts = new LinkedHashMap<>(); // class -> {detected, total}
        for (Path report : reports) {
            if (!Files.isRegularFile(report)) {
                System.err.println("[mutation-floor] ERROR: no report " + report + " (did `mvn -Pmutation` run?)");
                System.exit(2);
            }
            NodeList mutations = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
                    .getElementsByTagName("mutation");
            for (int i = 0; i < mutations.getLength(); i++) {
                Element m = (Element) mutations.item(i);
                String cls = m.getElementsByTagName("mutatedClass").item(0).getTextContent().split("\\$")[0];
                int[] c = counts.computeIfAbsent(cls, k -> new int[2]);
                c[1]++;
                if (DETECTED.contains(m.getAttribute("status"))) {
                    c[0]++;
                }
            }
        }
        if (all) {
            counts.entrySet().stream()
                    .sorted((a, b) -> a.getValue()[0] * (long) b.getValue()[1] != b.getValue()[0] * (long) a.getValue()[1]
                            ? Long.compare(a.getValue()[0] * (long) b.getValue()[1], b.getValue()[0] * (long) a.getValue()[1])
                            : a.getKey().compareTo(b.getKey()))
                    .forEach(e -> System.out.println(line("", e.getKey(), e.getValue())));
        }
        List<String> failed = new ArrayList<>();
        for (String cls : listed) {
            int[] c = counts.get(cls);
            if (c == null) {
                System.out.println("[mutation-floor] FAIL " + cls + ": no mutants in the reports (renamed, moved, or module not run?)");
                failed.add(cls);
                continue;
            }
            double f = ownFloor.getOrDefault(cls, floor);
            boolean ok = 100.0 * c[0] / c[1] >= f;
            System.out.println(line("[mutation-floor] " + (ok ? "ok   " : "FAIL "), cls, c)
                    + (f != floor ? " (own floor " + fmt(f) + "%)" : ""));
            if (!ok) {
                failed.add(cls);
            }
        }
        if (!failed.isEmpty()) {
            System.out.printf("[mutation-floor] %d security-relevant class(es) below their floor: %s%n", failed.size(),
                    String.join(", ", failed));
            System.exit(1);
        }
        System.out.printf("[mutation-floor] all %d security-relevant classes at or above their floor (%s%% unless listed"
                + " lower)%n", listed.size(), fmt(floor));
    }

    private static String line(String prefix, String cls, int[] c) {
        return String.format("%s%5.1f%%  %4d/%-4d %s", prefix, 100.0 * c[0] / c[1], c[0], c[1], cls);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
