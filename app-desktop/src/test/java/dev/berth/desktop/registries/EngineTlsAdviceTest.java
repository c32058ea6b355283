package dev.berth.desktop.registries;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The words added to an engine pull that failed on TLS: what the user changes, and where. */
class EngineTlsAdviceTest {
    private static final String PLAIN = "Get \"https://10.98.0.1:5000/v2/\": http: server gave HTTP response to HTTPS client";

    @Test
    void aPlainHttpRegistryNamesTheEnginesSettingEvenWhenNotMarkedInsecure() {
        assertEquals("This registry speaks plain HTTP: start the engine with --insecure-registry 10.98.0.1:5000 (or list it "
                        + "under \"insecure-registries\" in its daemon.json) to pull from this registry.",
                RegistriesModel.engineTlsAdvice(PLAIN, "10.98.0.1:5000", false));
    }

    @Test
    void aRegistryMarkedInsecureInTheAppIsToldTheEngineChecksOnItsOwn() {
        assertEquals("The engine checks TLS on its own: start it with --insecure-registry reg.example:443 (or list it under "
                        + "\"insecure-registries\" in its daemon.json) to pull from this registry.",
                RegistriesModel.engineTlsAdvice("x509: certificate signed by unknown authority", "reg.example:443", true));
    }

    @Test
    void otherFailuresGetNoAdvice() {
        assertNull(RegistriesModel.engineTlsAdvice("manifest unknown", "reg.example", false));
    }
}
