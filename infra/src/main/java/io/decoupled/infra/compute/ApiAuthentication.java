package io.decoupled.infra.compute;

import io.decoupled.infra.Nag;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.ResourceServerScope;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.amazon.awscdk.services.cognito.UserPoolResourceServerOptions;
import software.constructs.Construct;

/**
 * Who may call the public write APIs (/orders, /clicks) in AWS: a Cognito user pool used only as an OAuth 2.0
 * authorization server for machines. One app client (the load generator, or any caller the deployer adds) gets access
 * tokens by the client-credentials grant with the scope {@value #WRITE_SCOPE}; order-service and click-ingest-service
 * check them as JWT resource servers (issuer, signature from the pool's JWKS, expiry, client id, scope). Without it,
 * anyone who finds the load balancer can place orders and flood the clickstream.
 */
final class ApiAuthentication extends Construct {

    static final String RESOURCE_SERVER = "decoupled-api";
    static final String WRITE_SCOPE = RESOURCE_SERVER + "/write";

    private final UserPool pool;
    private final UserPoolClient client;

    ApiAuthentication(Construct scope, String id) {
        super(scope, id);
        pool = UserPool.Builder.create(this, "Pool")
                .userPoolName("decoupled-api")
                // Machines only: nobody signs up, and no person has an account to recover.
                .selfSignUpEnabled(false)
                .signInAliases(SignInAliases.builder().username(true).build())
                .accountRecovery(AccountRecovery.NONE)
                // Should a deployer add people later, they start from a strict policy and MFA.
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(14)
                        .requireDigits(true)
                        .requireLowercase(true)
                        .requireUppercase(true)
                        .requireSymbols(true)
                        .tempPasswordValidity(Duration.days(1))
                        .build())
                .mfa(Mfa.REQUIRED)
                .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Nag.accept(
                pool,
                "AwsSolutions-COG3",
                "The pool issues client-credentials tokens to machines only; threat protection "
                        + "(advanced security) analyses user sign-ins, of which there are none, and would add per-user cost.");

        var write = ResourceServerScope.Builder.create()
                .scopeName("write")
                .scopeDescription("Place orders and send clicks")
                .build();
        var server = pool.addResourceServer(
                "Api",
                UserPoolResourceServerOptions.builder()
                        .identifier(RESOURCE_SERVER)
                        .userPoolResourceServerName(RESOURCE_SERVER)
                        .scopes(List.of(write))
                        .build());
        // The token endpoint of the client-credentials grant; the prefix must be unique in the region, hence the
        // account.
        var domain = pool.addDomain(
                "Domain",
                UserPoolDomainOptions.builder()
                        .cognitoDomain(CognitoDomainOptions.builder()
                                .domainPrefix(Fn.join("-", List.of("decoupled", Aws.ACCOUNT_ID)))
                                .build())
                        .build());
        client = pool.addClient(
                "LoadGenerator",
                UserPoolClientOptions.builder()
                        .userPoolClientName("load-generator")
                        .generateSecret(true)
                        .authFlows(AuthFlow.builder().build())
                        .oAuth(OAuthSettings.builder()
                                .flows(OAuthFlows.builder()
                                        .clientCredentials(true)
                                        .build())
                                .scopes(List.of(OAuthScope.resourceServer(server, write)))
                                .build())
                        .accessTokenValidity(Duration.minutes(60))
                        .preventUserExistenceErrors(true)
                        .build());

        CfnOutput.Builder.create(scope, "ApiTokenEndpoint")
                .description("POST grant_type=client_credentials&scope=" + WRITE_SCOPE
                        + " here with the load-generator client's id and secret")
                .value(domain.baseUrl() + "/oauth2/token")
                .build();
        CfnOutput.Builder.create(scope, "ApiClientId")
                .description("The load-generator app client (its secret: aws cognito-idp describe-user-pool-client)")
                .value(client.getUserPoolClientId())
                .build();
        CfnOutput.Builder.create(scope, "ApiUserPoolId")
                .value(pool.getUserPoolId())
                .build();
    }

    /**
     * What order-service and click-ingest-service need to check a token (docs/security.md): Cognito's access tokens
     * carry no {@code aud}, so the accepted audience is the app client's id, which they carry as {@code client_id}.
     */
    Map<String, String> resourceServerEnvironment() {
        // Sorted: Map.of's order changes from one JVM to the next, and the template (and `cdk diff`) with it.
        return new TreeMap<>(Map.of(
                "API_SECURITY_ENABLED",
                "true",
                "API_SECURITY_ISSUER_URI",
                pool.getUserPoolProviderUrl(),
                "API_SECURITY_AUDIENCES",
                client.getUserPoolClientId(),
                "API_SECURITY_SCOPE",
                WRITE_SCOPE));
    }

    UserPool pool() {
        return pool;
    }
}
