package io.decoupled.infra.compute;

import io.decoupled.infra.Nag;
import io.decoupled.infra.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.IPeer;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationActionProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancerRedirectConfig;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.FixedResponseOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.constructs.Construct;

/**
 * The one way in from the internet: an internet-facing Application Load Balancer in the public subnets that
 * routes by path to the services ({@link Service#paths()}; {@link Service#adminPaths()} only over HTTPS) and
 * answers anything else with a problem+json 404. With a certificate it serves HTTPS only and port 80 redirects;
 * without one it serves the public APIs over plain HTTP, no admin API, and the synth warns. Actuator paths and dot
 * segments never reach a service. Access logs go to an {@link AccessLogBucket}.
 */
final class PublicEntrance extends Construct {

    /**
     * Its construct id. CDK leaves a construct called "Default" out of logical ids, so the load balancer, its
     * listeners, rules, target groups and security group keep the ids they had when the stack created them itself:
     * a changed id would make CloudFormation replace the load balancer, and its DNS name with it.
     */
    static final String ID = "Default";

    /** The id of the synth-time warning that the deployment has no certificate (docs/security.md). */
    static final String NO_CERTIFICATE_WARNING = "decoupled:noCertificate";

    /**
     * @param vpc            where the load balancer runs (public subnets)
     * @param apiIngress     who may reach it (a CIDR, or anyone)
     * @param certificateArn an ACM certificate: HTTPS only, port 80 redirects; empty means plain HTTP for the public
     *                       APIs and no admin API at all
     */
    record Props(IVpc vpc, IPeer apiIngress, Optional<String> certificateArn) {
        Props {
            Objects.requireNonNull(vpc, "vpc");
            Objects.requireNonNull(apiIngress, "apiIngress");
            Objects.requireNonNull(certificateArn, "certificateArn");
        }
    }

    private final boolean tls;
    private final SecurityGroup securityGroup;
    private final ApplicationLoadBalancer loadBalancer;
    private final ApplicationListener listener;
    /** Rules 1 and 2 guard every path; the services follow in steps of 10, leaving room for a rule in between. */
    private int nextPriority = 10;

    PublicEntrance(Construct scope, String id, Props props) {
        super(scope, id);
        tls = props.certificateArn().isPresent();

        securityGroup = SecurityGroup.Builder.create(this, "LoadBalancerSecurityGroup")
                .vpc(props.vpc())
                .description("Public entry to the REST APIs")
                .allowAllOutbound(false)
                .build();
        securityGroup.addIngressRule(
                props.apiIngress(),
                Port.tcp(80),
                tls ? "HTTP, redirected to HTTPS" : "HTTP to the public REST APIs (no admin API)");
        if (tls) {
            securityGroup.addIngressRule(props.apiIngress(), Port.tcp(443), "HTTPS to the REST APIs");
        } else {
            // On the stack, as before this construct existed: cdk synth and deploy show it under the stack's name.
            Annotations.of(Stack.of(this))
                    .addWarningV2(
                            NO_CERTIFICATE_WARNING,
                            "No certificateArn was given: the load balancer serves "
                                    + "the public APIs over plain HTTP only, and the admin API (/admin/dlq) is not served at all, neither by the "
                                    + "load balancer nor by shipping-service. Bearer tokens for /orders and /clicks would cross the network in "
                                    + "clear text. Deploy with -c certificateArn=arn:aws:acm:<region>:<account>:certificate/<id> (docs/security.md).");
        }
        if (props.apiIngress().getUniqueId().equals(Peer.anyIpv4().getUniqueId())) {
            Nag.accept(
                    securityGroup,
                    "AwsSolutions-EC23",
                    "No ingressCidr was given: the demo's REST APIs are public on "
                            + "purpose, like any web API. Deploy with -c ingressCidr=<your IP>/32 to restrict them (the finding then goes away).");
        }

        loadBalancer = ApplicationLoadBalancer.Builder.create(this, "LoadBalancer")
                .vpc(props.vpc())
                .internetFacing(true)
                .securityGroup(securityGroup)
                .vpcSubnets(
                        SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                .dropInvalidHeaderFields(true)
                .build();
        loadBalancer.logAccessLogs(new AccessLogBucket(this, "AccessLogs"), "alb");
        Nag.acknowledgeCrossStackSubnets(loadBalancer);

        listener = tls ? httpsWithRedirect(props.certificateArn().get()) : httpOnly();
        // Actuator is not even on the API port (ServiceTask.MANAGEMENT_PORT); this rule is the outer of two walls.
        listener.addAction(
                "HideActuator",
                AddApplicationActionProps.builder()
                        .priority(1)
                        .conditions(List.of(ListenerCondition.pathPatterns(List.of("/actuator", "/actuator/*"))))
                        .action(ListenerAction.fixedResponse(
                                404,
                                FixedResponseOptions.builder()
                                        .contentType("application/problem+json")
                                        .messageBody("{\"title\":\"Not Found\",\"status\":404}")
                                        .build()))
                        .build());
        // The load balancer matches the raw path, Tomcat normalises it: /orders/../actuator is "/orders/*" here and
        // "/actuator" there. Dot segments are refused here; their encoded forms (which a path pattern cannot spell)
        // are refused by every service's Tomcat too (WebServerHardening, docs/security.md).
        listener.addAction(
                "RefuseDotSegments",
                AddApplicationActionProps.builder()
                        .priority(2)
                        .conditions(List.of(ListenerCondition.pathPatterns(List.of("*/..", "*/../*", "*/.", "*/./*"))))
                        .action(ListenerAction.fixedResponse(
                                400,
                                FixedResponseOptions.builder()
                                        .contentType("application/problem+json")
                                        .messageBody(
                                                "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"Paths with dot segments are refused\"}")
                                        .build()))
                        .build());
    }

    /** With a certificate the APIs are served over TLS only; port 80 just redirects. */
    private ApplicationListener httpsWithRedirect(String certificateArn) {
        var https = loadBalancer.addListener(
                "Https",
                BaseApplicationListenerProps.builder()
                        .port(443)
                        .protocol(ApplicationProtocol.HTTPS)
                        .certificates(List.of(ListenerCertificate.fromArn(certificateArn)))
                        .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                        .open(false)
                        .defaultAction(notFound())
                        .build());
        loadBalancer.addRedirect(ApplicationLoadBalancerRedirectConfig.builder()
                .sourcePort(80)
                .sourceProtocol(ApplicationProtocol.HTTP)
                .targetPort(443)
                .targetProtocol(ApplicationProtocol.HTTPS)
                .open(false)
                .build());
        return https;
    }

    private ApplicationListener httpOnly() {
        return loadBalancer.addListener(
                "Http",
                BaseApplicationListenerProps.builder()
                        .port(80)
                        .protocol(ApplicationProtocol.HTTP)
                        .open(false)
                        .defaultAction(notFound())
                        .build());
    }

    private static ListenerAction notFound() {
        return ListenerAction.fixedResponse(
                404,
                FixedResponseOptions.builder()
                        .contentType("application/problem+json")
                        .messageBody(
                                "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"No service serves this path\"}")
                        .build());
    }

    /**
     * Forwards the service's paths (and its admin paths, over HTTPS only) to the API port of its tasks, and lets the
     * health checks reach their management port. Services are matched in the order they are routed.
     */
    void route(ServiceTask task) {
        var service = task.service();
        var paths = new ArrayList<>(service.paths());
        if (tls) {
            paths.addAll(service.adminPaths());
        }
        listener.addTargets(
                service.id(),
                AddApplicationTargetsProps.builder()
                        .priority(nextPriority)
                        .conditions(List.of(ListenerCondition.pathPatterns(paths)))
                        .port(ServiceTask.API_PORT)
                        .protocol(ApplicationProtocol.HTTP)
                        .targets(List.of(task.fargateService()))
                        .healthCheck(HealthCheck.builder()
                                .port(Integer.toString(ServiceTask.MANAGEMENT_PORT))
                                .path("/actuator/health/readiness")
                                .healthyThresholdCount(2)
                                .interval(Duration.seconds(15))
                                .build())
                        // Requests in flight finish within seconds; the 300 s default only slows deployments.
                        .deregistrationDelay(Duration.seconds(30))
                        .build());
        // Health checks reach the management port; the API port's rule CDK adds with the target.
        task.fargateService()
                .getConnections()
                .allowFrom(securityGroup, Port.tcp(ServiceTask.MANAGEMENT_PORT), "Health checks of the load balancer");
        nextPriority += 10;
    }

    /** Whether it serves HTTPS (a certificate was given): only then are admin APIs routed and served. */
    boolean tls() {
        return tls;
    }

    /** The base URL of the REST APIs. */
    String url() {
        return (tls ? "https://" : "http://") + loadBalancer.getLoadBalancerDnsName();
    }

    ApplicationLoadBalancer loadBalancer() {
        return loadBalancer;
    }
}
