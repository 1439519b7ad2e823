package org.ccbridge.ops;

import java.util.Map;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator console at {@code /console}: one static page, its script and its style, served from
 * the jar (no build step). The page holds no data: it asks for an admin token and reads and acts
 * through the admin API with it, so what an operator sees and may do is what the token's role
 * allows there. Served with a policy that allows the page's own script and style only.
 */
@RestController
class ConsoleController {

    private static final Map<String, MediaType> ASSETS = Map.of(
            "console.js", MediaType.valueOf("text/javascript;charset=UTF-8"),
            "console.css", MediaType.valueOf("text/css;charset=UTF-8"));
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    @GetMapping("/console")
    ResponseEntity<Resource> page() {
        return serve("index.html", MediaType.valueOf("text/html;charset=UTF-8"));
    }

    @GetMapping("/console/{asset}")
    ResponseEntity<Resource> asset(@PathVariable String asset) {
        MediaType type = ASSETS.get(asset);
        if (type == null) {
            return ResponseEntity.notFound().build();
        }
        return serve(asset, type);
    }

    private static ResponseEntity<Resource> serve(String file, MediaType type) {
        return ResponseEntity.ok().contentType(type).cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", POLICY)
                .body(new ClassPathResource("console/" + file));
    }
}
