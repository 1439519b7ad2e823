package org.ccbridge.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Sends one HTTP/1.1 request with the request target exactly as given: {@code java.net.http} and
 * {@code java.net.URI} would refuse or re-encode some of the spellings a path-trick test needs.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** What came back: the status and the whole response (headers and body) as text. */
    public record Reply(int status, String text) {
    }

    public static Reply send(int port, String method, String target, Map<String, String> headers, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Connection: close\r\n")
                .append("Content-Length: ").append(content.length).append("\r\n");
        if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            head.append("Content-Type: application/json\r\n");
        }
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            String text = readAll(socket.getInputStream());
            int space = text.indexOf(' ');
            if (space < 0) {
                throw new IllegalStateException("no status line in reply to " + method + " " + target);
            }
            return new Reply(Integer.parseInt(text.substring(space + 1, space + 4)), text);
        } catch (IOException e) {
            throw new IllegalStateException("ccbridge did not answer " + method + " " + target, e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }
}
