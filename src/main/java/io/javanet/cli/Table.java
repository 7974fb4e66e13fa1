package io.javanet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Rows shown as a table with a header, columns padded to their widest cell (as docker's own tables), or given
 * as they are for {@code --format json}.
 */
record Table(List<?> rows, String text) {

    static <R> Table of(List<R> rows, List<String> header, Function<R, List<String>> cells) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        rows.forEach(r -> lines.add(cells.apply(r)));
        int[] widths = new int[header.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                text.append(i == line.size() - 1 ? line.get(i) : String.format("%-" + (widths[i] + 3) + "s", line.get(i)));
            }
            text.append(System.lineSeparator());
        }
        return new Table(rows, text.toString());
    }

    /** Rows shown one line each, without a header (as docker port shows one container's ports). */
    static Table lines(List<?> rows, List<String> lines) {
        return new Table(rows, lines.stream().map(l -> l + System.lineSeparator()).reduce("", String::concat));
    }
}
