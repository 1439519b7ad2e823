package org.ccbridge.ingress;

import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Tells voice from digital interactions: an explicit channel field first, then the platform's
 * media type, then words in the event type, then the source's default.
 */
final class ChannelClassifier {

    private static final Set<String> VOICE_WORDS = Set.of("voice", "call", "callback", "phone");
    private static final Set<String> DIGITAL_WORDS =
            Set.of("digital", "chat", "webchat", "email", "message", "messaging", "sms", "social", "work-item", "workitem");

    private ChannelClassifier() {
    }

    static Channel classify(JsonNode data, String type, Channel defaultChannel) {
        for (String field : new String[] {"channel", "mediaType", "media_type", "channelType", "mediaTypeName"}) {
            Channel channel = fromWord(JsonFields.text(data, field));
            if (channel != null) {
                return channel;
            }
        }
        for (String word : type.toLowerCase(Locale.ROOT).split("[._-]")) {
            Channel channel = fromWord(word);
            if (channel != null) {
                return channel;
            }
        }
        return defaultChannel;
    }

    private static Channel fromWord(String word) {
        if (word == null) {
            return null;
        }
        String lower = word.toLowerCase(Locale.ROOT);
        if (VOICE_WORDS.contains(lower)) {
            return Channel.VOICE;
        }
        return DIGITAL_WORDS.contains(lower) ? Channel.DIGITAL : null;
    }
}
