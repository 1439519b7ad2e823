package org.ccbridge.crm;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;

import org.apache.camel.component.salesforce.api.dto.AbstractDescribedSObjectBase;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;

/**
 * A record of any sObject type with free-form fields, for camel-salesforce's collection
 * operations, which take typed sObjects and no raw JSON. {@code attributes.type} comes from the
 * base class.
 */
public class SObjectRecord extends AbstractDescribedSObjectBase {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    public SObjectRecord() {
    }

    public SObjectRecord(String type) {
        getAttributes().setType(type);
    }

    @JsonAnySetter
    public SObjectRecord put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    @JsonAnyGetter
    public Map<String, Object> fields() {
        return fields;
    }

    @Override
    public SObjectDescription description() {
        return null;
    }
}
