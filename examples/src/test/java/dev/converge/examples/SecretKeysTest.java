package dev.converge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class SecretKeysTest {

  @Test
  void everySettingKafkaDeclaresAPasswordIsASecret() {
    for (ConfigDef definitions : List.of(ConsumerConfig.configDef(), ProducerConfig.configDef())) {
      definitions.configKeys().values().stream()
          .filter(key -> key.type == ConfigDef.Type.PASSWORD)
          .forEach(key -> assertTrue(SecretKeys.isSecret(key.name), key.name));
    }
  }

  @Test
  void jaasConfigAndOtherNamedSettingsAreSecrets() {
    for (String name :
        List.of(
            "sasl.jaas.config",
            "listener.name.sasl_ssl.plain.sasl.jaas.config",
            "basic.auth.user.info",
            "ssl.keystore.certificate.chain",
            "ssl.truststore.certificates")) {
      assertTrue(SecretKeys.isSecret(name), name);
    }
    assertTrue(SecretKeys.isSecret("SASL.JAAS.CONFIG"), "in any case");
  }

  @Test
  void namesEndingInPasswordAreSecrets() {
    for (String name :
        List.of(
            "ssl.key.password",
            "ssl.keystore.password",
            "ssl.truststore.password",
            "schema.registry.ssl.truststore.password",
            "password",
            "PASSWORD",
            "sslpassword",
            "passwd",
            "sasl.oauthbearer.assertion.private.key.passphrase")) {
      assertTrue(SecretKeys.isSecret(name), name);
    }
  }

  @Test
  void namesWithSecretAreSecrets() {
    for (String name :
        List.of(
            "sasl.oauthbearer.client.credentials.client.secret",
            "client.secret",
            "password.encoder.secret",
            "secret")) {
      assertTrue(SecretKeys.isSecret(name), name);
    }
  }

  @Test
  void keysTokensAndPwdAfterTheLastDotAreSecrets() {
    for (String name : List.of("ssl.keystore.key", "api.key", "bearer.auth.token", "pwd", "PWD")) {
      assertTrue(SecretKeys.isSecret(name), name);
    }
  }

  @Test
  void connectionSettingsThatAreNoSecretsAreShown() {
    for (String name :
        List.of(
            "session.timeout.ms",
            "group.protocol",
            "security.protocol",
            "sasl.mechanism",
            "ssl.truststore.location",
            "ssl.truststore.type",
            "ssl.keystore.location",
            "ssl.endpoint.identification.algorithm",
            "sasl.oauthbearer.token.endpoint.url",
            "sasl.oauthbearer.client.credentials.client.id",
            "key.deserializer",
            "user",
            "sslmode")) {
      assertFalse(SecretKeys.isSecret(name), name);
    }
  }

  @Test
  void describeSortsByNameAndMasksSecretValues() {
    assertEquals(
        "sasl.jaas.config=[hidden], session.timeout.ms=10000, ssl.key.password=[hidden]",
        SecretKeys.describe(
            Map.of(
                "ssl.key.password", "k3y",
                "session.timeout.ms", "10000",
                "sasl.jaas.config", "x required password=\"p\";")));
    assertEquals("", SecretKeys.describe(Map.of()));
  }

  @Test
  void jdbcUrlParametersThatAreSecretsAreMasked() {
    assertEquals(
        "jdbc:postgresql://db:5432/orders?user=app&password=[hidden]&sslmode=require",
        SecretKeys.maskJdbcUrl(
            "jdbc:postgresql://db:5432/orders?user=app&password=s3cret&sslmode=require"));
    assertEquals(
        "jdbc:postgresql://db/orders?sslpassword=[hidden]",
        SecretKeys.maskJdbcUrl("jdbc:postgresql://db/orders?sslpassword=k"));
    assertEquals(
        "jdbc:h2:tcp://db/orders;USER=sa;PASSWORD=[hidden];MODE=PostgreSQL",
        SecretKeys.maskJdbcUrl("jdbc:h2:tcp://db/orders;USER=sa;PASSWORD=pw;MODE=PostgreSQL"));
    assertEquals(
        "jdbc:sqlserver://db;user=app;pwd=[hidden]",
        SecretKeys.maskJdbcUrl("jdbc:sqlserver://db;user=app;pwd=x=y"));
  }

  @Test
  void jdbcUrlUserInfoPasswordIsMasked() {
    assertEquals(
        "jdbc:mysql://app:[hidden]@db:3306/orders?useSSL=true",
        SecretKeys.maskJdbcUrl("jdbc:mysql://app:s3cret@db:3306/orders?useSSL=true"));
    assertEquals(
        "jdbc:mysql://app@db:3306/orders",
        SecretKeys.maskJdbcUrl("jdbc:mysql://app@db:3306/orders"));
  }

  @Test
  void jdbcUrlWithoutSecretsIsUnchanged() {
    for (String url :
        List.of(
            "jdbc:h2:mem:converge-orders",
            "jdbc:postgresql://localhost:5432/postgres",
            "jdbc:postgresql://[::1]:5432/orders?user=app&ssl=true",
            "jdbc:h2:file:/tmp/orders;MODE=PostgreSQL")) {
      assertEquals(url, SecretKeys.maskJdbcUrl(url));
    }
  }

  @Test
  void secretsOfAJdbcUrlAreItsSecretParameterValuesAndUserInfoPassword() {
    assertEquals(
        Set.of("s3cret", "k"),
        SecretKeys.secretsOfJdbcUrl("jdbc:postgresql://db/orders?password=s3cret&sslpassword=k"));
    assertEquals(Set.of("pw"), SecretKeys.secretsOfJdbcUrl("jdbc:mysql://app:pw@db/orders"));
    assertEquals(Set.of(), SecretKeys.secretsOfJdbcUrl("jdbc:postgresql://db/orders?password="));
  }
}
